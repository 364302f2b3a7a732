// FIDO U2F attestation statement format, WebAuthn Level 3 §8.6.
//
//   $$attStmtType //= ( fmt: "fido-u2f", attStmt: u2fStmtFormat )
//   u2fStmtFormat = {
//                       x5c: [ attestnCert: bytes ],
//                       sig: bytes
//                   }
//
// U2F knows only P-256 and ECDSA with SHA-256, for both the attestation
// certificate and the credential. Members the CDDL does not name: see
// statement_fields.h. A U2F authenticator's AAGUID is zero, so an AAGUID
// extension in its certificate (YubiKeys carry one) is not compared (§8.6
// asks for no such check).
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/cose_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

namespace daarion::webauthn
{

namespace
{

const QString kFmt = QStringLiteral("fido-u2f");

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("fido-u2f: ") + what);
}

bool isP256Key(EVP_PKEY *key)
{
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
        return false;
    char group[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) != 1)
        return false;
    return QByteArrayView(group, qsizetype(length)) == QByteArrayView("prime256v1");
}

// The credential key as ANSI X9.62 uncompressed point: 0x04 || x || y (65 bytes).
std::optional<QByteArray> uncompressedPoint(EVP_PKEY *key)
{
    QByteArray point(65, Qt::Uninitialized);
    size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        reinterpret_cast<unsigned char *>(point.data()),
                                        size_t(point.size()), &length) != 1 ||
        length != 65 || point.at(0) != 0x04)
        return std::nullopt;
    return point;
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct FidoU2fStatement {
    QByteArray sig;
    CertificateChain x5c;
};

Result<FidoU2fStatement> decodeFidoU2fStatement(const AttestationInput &input)
{
    auto members = decodeSignedMembers(
        input, {Presence::Absent, Presence::Required, Presence::Required}, kFmt);
    if (!members)
        return members.error();
    return FidoU2fStatement{*members->sig, std::move(*members->x5c)};
}

} // namespace

Result<AttestationVerdict> verifyFidoU2fAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodeFidoU2fStatement(input);
    if (!statement)
        return statement.error();
    const CertificateChain &chain = statement->x5c;

    // Step 2: x5c has exactly one element, and its key is an EC key on P-256.
    if (chain.der.size() != 1)
        return invalid(
            QStringLiteral("x5c must hold exactly one certificate, not %1").arg(chain.der.size()));
    EvpPkeyPtr certificateKey = certificatePublicKey(chain.leaf());
    if (!isP256Key(certificateKey.get()))
        return invalid(QStringLiteral("the attestation certificate's key is not EC P-256"));

    // Step 3: rpIdHash, credentialId and credentialPublicKey from authData.
    auto credential = attestedCredential(input, kFmt);
    if (!credential)
        return credential.error();

    // Step 4: the credential key as a raw ANSI X9.62 point; it must be EC2 P-256.
    const CoseKey &key = (*credential)->publicKey;
    if (key.kty != cose::KtyEc2 || key.crv != cose::CrvP256 || !isP256Key(key.pkey.get()))
        return invalid(QStringLiteral("the credential key must be EC2 on P-256"));
    auto publicKeyU2F = uncompressedPoint(key.pkey.get());
    if (!publicKeyU2F)
        return invalid(QStringLiteral("the credential key has no 65-byte uncompressed point"));

    // Step 5: verificationData = 0x00 || rpIdHash || clientDataHash || credentialId ||
    // publicKeyU2F.
    QByteArray verificationData(1, '\0');
    verificationData += input.authData.rpIdHash;
    verificationData += input.clientDataHash;
    verificationData += (*credential)->credentialId;
    verificationData += *publicKeyU2F;

    // Step 6: sig is an ECDSA SHA-256 signature by the certificate's key.
    auto signature = verifyStatementSignature(certificateKey.get(), cose::ES256, verificationData,
                                              statement->sig, kFmt);
    if (!signature)
        return signature.error();

    // Step 8: Basic (AttCA cannot be told apart here), trust path x5c.
    return AttestationVerdict{AttestationType::Basic, chain.der};
}

} // namespace daarion::webauthn
