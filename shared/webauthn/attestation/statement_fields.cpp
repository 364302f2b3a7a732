#include "shared/webauthn/attestation/statement_fields.h"

#include "shared/webauthn/cbor.h"

namespace daarion::webauthn
{

namespace
{

Error invalid(const QString &fmt, const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("%1: %2").arg(fmt, what));
}

const cbor_item_t *member(const cbor_item_t *statement, QLatin1StringView name)
{
    return cborMapGet(statement, QByteArrayView(name.data(), name.size()));
}

bool isRequired(Presence presence)
{
    return presence == Presence::Required;
}

} // namespace

Check checkStatementKeys(const cbor_item_t *statement, const QString &fmt)
{
    if (!statement || !cbor_isa_map(statement) || !cbor_map_is_definite(statement))
        return invalid(fmt, QStringLiteral("attStmt must be a map"));
    if (cbor_map_size(statement) > kMaxStatementMembers)
        return invalid(fmt, QStringLiteral("attStmt has %1 members (at most %2)")
                                .arg(cbor_map_size(statement))
                                .arg(kMaxStatementMembers));
    const cbor_pair *pairs = cbor_map_handle(statement);
    for (size_t i = 0; i < cbor_map_size(statement); ++i) {
        auto key = cborText(pairs[i].key);
        if (!key)
            return invalid(fmt, QStringLiteral("attStmt has a key that is not text"));
        if (*key == QLatin1StringView("ecdaaKeyId"))
            return invalid(fmt,
                           QStringLiteral("attStmt has unexpected member \"ecdaaKeyId\": "
                                          "ECDAA attestation is not part of WebAuthn Level 3"));
    }
    return Ok{};
}

Result<std::optional<std::int64_t>> optionalInteger(const cbor_item_t *statement,
                                                    QLatin1StringView name, const QString &fmt)
{
    const cbor_item_t *item = member(statement, name);
    if (!item)
        return std::optional<std::int64_t>();
    auto value = cborInteger(item);
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be an integer").arg(name));
    return std::optional<std::int64_t>(*value);
}

Result<std::optional<QByteArray>> optionalBytes(const cbor_item_t *statement,
                                                QLatin1StringView name, const QString &fmt)
{
    const cbor_item_t *item = member(statement, name);
    if (!item)
        return std::optional<QByteArray>();
    auto value = cborBytes(item);
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be a byte string").arg(name));
    return std::optional<QByteArray>(*value);
}

Result<std::int64_t> statementInteger(const cbor_item_t *statement, QLatin1StringView name,
                                      const QString &fmt)
{
    auto value = cborInteger(member(statement, name));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be an integer").arg(name));
    return *value;
}

Result<QByteArray> statementBytes(const cbor_item_t *statement, QLatin1StringView name,
                                  const QString &fmt)
{
    auto value = cborBytes(member(statement, name));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be a byte string").arg(name));
    return *value;
}

Result<QString> statementText(const cbor_item_t *statement, QLatin1StringView name,
                              const QString &fmt)
{
    auto value = cborText(member(statement, name));
    if (!value)
        return invalid(fmt, QStringLiteral("attStmt.%1 must be a text string").arg(name));
    return *value;
}

Result<SignedMembers> decodeSignedMembers(const AttestationInput &input,
                                          const SignedStatementSyntax &syntax, const QString &fmt)
{
    if (Check keys = checkStatementKeys(input.statement, fmt); !keys)
        return keys.error();
    SignedMembers members;
    if (syntax.alg != Presence::Absent) {
        auto alg = optionalInteger(input.statement, QLatin1StringView("alg"), fmt);
        if (!alg)
            return alg.error();
        if (!*alg && isRequired(syntax.alg))
            return invalid(fmt, QStringLiteral("attStmt.alg must be an integer"));
        members.alg = *alg;
    }
    if (syntax.sig != Presence::Absent) {
        auto sig = optionalBytes(input.statement, QLatin1StringView("sig"), fmt);
        if (!sig)
            return sig.error();
        if (!*sig && isRequired(syntax.sig))
            return invalid(fmt, QStringLiteral("attStmt.sig must be a byte string"));
        members.sig = *sig;
    }
    if (syntax.x5c != Presence::Absent) {
        const cbor_item_t *x5c = member(input.statement, QLatin1StringView("x5c"));
        if (x5c || isRequired(syntax.x5c)) {
            auto chain = parseX5c(x5c, fmt);
            if (!chain)
                return chain.error();
            if (Check valid = checkValidityAt(*chain, input.verificationTime, fmt); !valid)
                return valid.error();
            members.x5c = std::move(chain).value();
        }
    }
    return members;
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
        return invalid(
            fmt, QStringLiteral("attStmt.sig does not verify: %1").arg(verified.error().message));
    return Ok{};
}

} // namespace daarion::webauthn
