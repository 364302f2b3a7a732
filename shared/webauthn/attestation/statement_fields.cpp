#include "shared/webauthn/attestation/statement_fields.h"

#include "shared/webauthn/cbor.h"

namespace daarion::webauthn {

namespace {

Error invalid(const QString &fmt, const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("%1: %2").arg(fmt, what));
}

} // namespace

Check checkStatementMembers(const cbor_item_t *statement,
                            std::initializer_list<QLatin1StringView> members, const QString &fmt)
{
    if (!statement || !cbor_isa_map(statement) || !cbor_map_is_definite(statement))
        return invalid(fmt, QStringLiteral("attStmt must be a map"));
    const cbor_pair *pairs = cbor_map_handle(statement);
    for (size_t i = 0; i < cbor_map_size(statement); ++i) {
        auto key = cborText(pairs[i].key);
        if (!key)
            return invalid(fmt, QStringLiteral("attStmt has a key that is not text"));
        bool known = false;
        for (QLatin1StringView member : members)
            known = known || *key == member;
        if (!known)
            return invalid(fmt, QStringLiteral("attStmt has unexpected member \"%1\"").arg(*key));
    }
    return Ok{};
}

Result<std::int64_t> statementInteger(const cbor_item_t *statement, QLatin1StringView member,
                                      const QString &fmt)
{
    auto value = cborInteger(cborMapGet(statement, QByteArrayView(member.data(), member.size())));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be an integer").arg(member));
    return *value;
}

Result<QByteArray> statementBytes(const cbor_item_t *statement, QLatin1StringView member,
                                  const QString &fmt)
{
    auto value = cborBytes(cborMapGet(statement, QByteArrayView(member.data(), member.size())));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be a byte string").arg(member));
    return *value;
}

Result<QString> statementText(const cbor_item_t *statement, QLatin1StringView member,
                              const QString &fmt)
{
    auto value = cborText(cborMapGet(statement, QByteArrayView(member.data(), member.size())));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be a text string").arg(member));
    return *value;
}

Result<const AttestedCredentialData *> attestedCredential(const AttestationInput &input,
                                                          const QString &fmt)
{
    if (!input.authData.attestedCredential || !input.authData.attestedCredential->publicKey.pkey)
        return invalid(fmt, QStringLiteral("authData carries no attested credential"));
    return &*input.authData.attestedCredential;
}

QByteArray attestedBytes(const AttestationInput &input)
{
    return input.authData.raw + input.clientDataHash;
}

Check verifyStatementSignature(EVP_PKEY *key, std::int64_t alg, QByteArrayView data,
                               QByteArrayView signature, const QString &fmt, AllowRs1 rs1)
{
    if (!key)
        return invalid(fmt, QStringLiteral("the attestation public key is unreadable"));
    if (alg == cose::RS1 && rs1 == AllowRs1::No)
        return invalid(fmt, QStringLiteral("RS1 (-65535) is allowed only in tpm statements"));
    if (!algorithmFitsKey(alg, key))
        return invalid(fmt, QStringLiteral("alg %1 does not fit the attestation key").arg(alg));
    auto verified = verifySignature(key, alg, data, signature);
    if (!verified)
        return invalid(fmt, QStringLiteral("attStmt.sig does not verify: %1")
                                .arg(verified.error().message));
    return Ok{};
}

} // namespace daarion::webauthn
