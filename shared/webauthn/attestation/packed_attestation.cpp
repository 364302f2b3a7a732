// Packed attestation statement format, WebAuthn Level 3 §8.2.
//
//   $$attStmtType //= ( fmt: "packed", attStmt: packedStmtFormat )
//   packedStmtFormat = {
//                          alg: COSEAlgorithmIdentifier,
//                          sig: bytes,
//                          x5c: [ attestnCert: bytes, * (caCert: bytes) ]
//                      } //
//                      {
//                          alg: COSEAlgorithmIdentifier
//                          sig: bytes,
//                      }
//
// With x5c: Basic (an AttCA chain cannot be told apart from it here); the
// trust decision is TrustAnchors'. Without x5c: Self attestation. Members
// the CDDL does not name: see statement_fields.h.
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/cbor.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <optional>

namespace daarion::webauthn
{

namespace
{

const QString kFmt = QStringLiteral("packed");

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("packed: ") + what);
}

// §8.2.1 Packed Attestation Statement Certificate Requirements.
Check checkCertificateRequirements(X509 *cert)
{
    // "Version MUST be set to 3 (which is indicated by an ASN.1 INTEGER with value 2)."
    if (X509_get_version(cert) != X509_VERSION_3)
        return invalid(QStringLiteral("the attestation certificate must be X.509 version 3"));

    // "Subject field MUST be set to: C, O, OU = "Authenticator Attestation", CN."
    const QStringList country = subjectEntries(cert, NID_countryName);
    if (country.size() != 1 || country.front().size() != 2)
        return invalid(QStringLiteral("the certificate subject needs one two-letter C (ISO 3166)"));
    for (QChar letter : country.front()) {
        if (letter < QLatin1Char('A') || letter > QLatin1Char('Z'))
            return invalid(
                QStringLiteral("subject C \"%1\" is not an ISO 3166 code").arg(country.front()));
    }
    const QStringList organization = subjectEntries(cert, NID_organizationName);
    if (organization.size() != 1 || organization.front().isEmpty())
        return invalid(QStringLiteral("the certificate subject needs one non-empty O (vendor)"));
    const QStringList unit = subjectEntries(cert, NID_organizationalUnitName);
    if (unit.size() != 1 || unit.front() != QLatin1StringView("Authenticator Attestation"))
        return invalid(QStringLiteral("subject OU must be exactly \"Authenticator Attestation\""));
    const QStringList common = subjectEntries(cert, NID_commonName);
    if (common.size() != 1 || common.front().isEmpty())
        return invalid(QStringLiteral("the certificate subject needs one non-empty CN"));

    // "The Basic Constraints extension MUST have the CA component set to false."
    if (isCertificateAuthority(cert))
        return invalid(QStringLiteral("the attestation certificate must not be a CA"));
    return Ok{};
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct PackedStatement {
    std::int64_t alg = 0;
    QByteArray sig;
    std::optional<CertificateChain> x5c; // absent: self attestation
};

Result<PackedStatement> decodePackedStatement(const AttestationInput &input)
{
    auto members = decodeSignedMembers(
        input, {Presence::Required, Presence::Required, Presence::Optional}, kFmt);
    if (!members)
        return members.error();
    return PackedStatement{*members->alg, *members->sig, std::move(members->x5c)};
}

} // namespace

Result<AttestationVerdict> verifyPackedAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodePackedStatement(input);
    if (!statement)
        return statement.error();
    auto credential = attestedCredential(input, kFmt);
    if (!credential)
        return credential.error();
    const QByteArray signedBytes = attestedBytes(input);

    if (statement->x5c) {
        // Step 2, x5c present (every certificate valid at the verification time).
        const CertificateChain &chain = *statement->x5c;
        // - sig is a valid signature over authenticatorData || clientDataHash by
        //   attestnCert's public key with alg.
        EvpPkeyPtr attestationKey = certificatePublicKey(chain.leaf());
        auto signature = verifyStatementSignature(attestationKey.get(), statement->alg, signedBytes,
                                                  statement->sig, kFmt);
        if (!signature)
            return signature.error();
        // - attestnCert meets §8.2.1.
        auto requirements = checkCertificateRequirements(chain.leaf());
        if (!requirements)
            return requirements.error();
        // - id-fido-gen-ce-aaguid, when present, matches authData's AAGUID.
        auto aaguid = checkAaguidExtension(chain.leaf(), (*credential)->aaguid, kFmt);
        if (!aaguid)
            return aaguid.error();
        // - Basic (or AttCA), trust path x5c.
        return AttestationVerdict{AttestationType::Basic, chain.der};
    }

    // Step 3, self attestation.
    // - alg matches the credential public key's alg.
    if (statement->alg != (*credential)->publicKey.alg)
        return invalid(
            QStringLiteral("self attestation alg %1 differs from the credential's alg %2")
                .arg(statement->alg)
                .arg((*credential)->publicKey.alg));
    // - sig verifies with the credential public key and alg.
    auto signature = verifyStatementSignature((*credential)->publicKey.pkey.get(), statement->alg,
                                              signedBytes, statement->sig, kFmt);
    if (!signature)
        return signature.error();
    // - Self, empty trust path.
    return AttestationVerdict{AttestationType::Self, {}};
}

} // namespace daarion::webauthn
