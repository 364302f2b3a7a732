// authenticatorData (WebAuthn §6.1, §6.5.1), parsed strictly: every length is
// checked before it is trusted and nothing may be left over.
#include "shared/webauthn/authenticator_data.h"

#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"

namespace daarion::webauthn {

namespace {

constexpr qsizetype kRpIdHashLength = 32;
constexpr qsizetype kAaguidLength = 16;

Error malformed(const QString &why)
{
    return fail(ErrorCode::MalformedCredential, QStringLiteral("authenticatorData: ") + why);
}

// attestedCredentialData: aaguid(16) credentialIdLength(2) credentialId(L) credentialPublicKey(CBOR).
Result<AttestedCredentialData> readAttestedCredential(ByteReader &reader)
{
    const auto aaguid = reader.take(kAaguidLength);
    const auto idLength = reader.u16be();
    if (!aaguid || !idLength)
        return malformed(QStringLiteral("AT is set but the attested credential data is cut short"));
    if (*idLength == 0 || *idLength > kMaxCredentialIdLength)
        return malformed(QStringLiteral("credential ID length %1 is outside 1..%2").arg(*idLength).arg(kMaxCredentialIdLength));
    const auto credentialId = reader.take(*idLength);
    if (!credentialId)
        return malformed(QStringLiteral("credential ID is longer than the data"));

    // The key's end is where the CBOR item ends; extensions may follow it.
    Result<DecodedCbor> keyCbor = decodeCbor(reader.rest(), TrailingBytes::Allow);
    if (!keyCbor)
        return malformed(QStringLiteral("credential public key: ") + keyCbor.error().message);
    const QByteArrayView keyBytes = reader.rest().first(keyCbor->length);
    Result<CoseKey> key = parseCoseKey(keyCbor->item.get(), keyBytes);
    if (!key)
        return key.error();
    reader.skip(keyCbor->length);
    return AttestedCredentialData{aaguid->toByteArray(), credentialId->toByteArray(), std::move(key.value())};
}

} // namespace

Result<AuthenticatorData> parseAuthenticatorData(const QByteArray &raw)
{
    ByteReader reader(raw);
    AuthenticatorData data;
    data.raw = raw;
    const auto rpIdHash = reader.take(kRpIdHashLength);
    const auto flags = reader.u8();
    const auto signCount = reader.u32be();
    if (!rpIdHash || !flags || !signCount)
        return malformed(QStringLiteral("%1 bytes, shorter than the 37-byte header").arg(raw.size()));
    data.rpIdHash = rpIdHash->toByteArray();
    data.flags = *flags;
    data.signCount = *signCount;

    if (data.flags & flag::AttestedCredentialData) {
        Result<AttestedCredentialData> attested = readAttestedCredential(reader);
        if (!attested)
            return attested.error();
        data.attestedCredential = std::move(attested.value());
    }
    if (data.flags & flag::ExtensionData) {
        Result<DecodedCbor> extensions = decodeCbor(reader.rest(), TrailingBytes::Allow);
        if (!extensions)
            return malformed(QStringLiteral("extensions: ") + extensions.error().message);
        if (!cbor_isa_map(extensions->item.get()))
            return malformed(QStringLiteral("extensions are not a CBOR map"));
        data.extensions = reader.take(extensions->length)->toByteArray();
    }
    if (!reader.atEnd())
        return malformed(QStringLiteral("%1 unexpected bytes at the end (AT/ED flags: %2/%3)")
                             .arg(reader.remaining())
                             .arg(bool(data.flags & flag::AttestedCredentialData))
                             .arg(bool(data.flags & flag::ExtensionData)));
    return data;
}

} // namespace daarion::webauthn
