// attestationObject = { "fmt": text, "attStmt": map, "authData": bytes } (§6.5.4).
#include "shared/webauthn/attestation/attestation_object.h"

namespace daarion::webauthn {

namespace {

// Format identifiers are short ASCII names (§8, IANA registry); bound them for messages.
constexpr qsizetype kMaxFormatLength = 32;

Error malformed(const QString &why)
{
    return fail(ErrorCode::MalformedCredential, QStringLiteral("attestationObject: ") + why);
}

} // namespace

Result<AttestationObject> parseAttestationObject(QByteArrayView bytes)
{
    Result<DecodedCbor> decoded = decodeCbor(bytes, TrailingBytes::Reject);
    if (!decoded)
        return malformed(decoded.error().message);
    const cbor_item_t *map = decoded->item.get();
    if (!cbor_isa_map(map))
        return malformed(QStringLiteral("not a CBOR map"));
    // Duplicate keys were refused by decodeCbor, so three found keys in a map
    // of three entries means nothing else is there.
    const auto fmt = cborText(cborMapGet(map, "fmt"));
    const cbor_item_t *statement = cborMapGet(map, "attStmt");
    const auto authData = cborBytes(cborMapGet(map, "authData"));
    if (!fmt || !statement || !authData)
        return malformed(QStringLiteral("needs fmt (text), attStmt (map) and authData (bytes)"));
    if (!cbor_isa_map(statement))
        return malformed(QStringLiteral("attStmt is not a map"));
    if (cbor_map_size(map) != 3)
        return malformed(QStringLiteral("has %1 members; only fmt, attStmt and authData are allowed")
                             .arg(cbor_map_size(map)));
    if (fmt->isEmpty() || fmt->size() > kMaxFormatLength)
        return malformed(QStringLiteral("fmt is empty or longer than %1 characters").arg(kMaxFormatLength));

    AttestationObject object;
    object.fmt = *fmt;
    object.authData = *authData;
    object.statement = statement;
    object.tree = std::move(decoded->item);
    return object;
}

} // namespace daarion::webauthn
