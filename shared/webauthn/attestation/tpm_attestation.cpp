// TPM attestation statement format, WebAuthn Level 3 §8.3.
//
//   $$attStmtType // = ( fmt: "tpm", attStmt: tpmStmtFormat )
//   tpmStmtFormat = {
//                       ver: "2.0",
//                       alg: COSEAlgorithmIdentifier,
//                       x5c: [ aikCert: bytes, * (caCert: bytes) ],
//                       sig: bytes,
//                       certInfo: bytes,
//                       pubArea: bytes
//                   }
//
// certInfo (TPMS_ATTEST) and pubArea (TPMT_PUBLIC) are parsed in
// tpm_structures.cpp. The AIK may sign with RS1 (-65535); nothing else may.
// Members the CDDL does not name: see statement_fields.h. Windows Hello AIK
// certificates are short-lived: a capture is judged at the time it was made.
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/attestation/tpm_structures.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/cose_key.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

namespace daarion::webauthn
{

namespace
{

const QString kFmt = QStringLiteral("tpm");

// TCG EK Credential Profile: the AIK certificate's EKU and SAN attributes.
constexpr char kTcgKpAikCertificate[] = "2.23.133.8.3";
constexpr char kTcgAtTpmManufacturer[] = "2.23.133.2.1";
constexpr char kTcgAtTpmModel[] = "2.23.133.2.2";
constexpr char kTcgAtTpmVersion[] = "2.23.133.2.3";

using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT_free>>;
using ExtendedKeyUsagePtr =
    std::unique_ptr<EXTENDED_KEY_USAGE, OpenSslDeleter<EXTENDED_KEY_USAGE_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("tpm: ") + what);
}

// The hash "employed in alg", which certInfo.extraData must be made with.
const EVP_MD *digestForCoseAlg(std::int64_t alg)
{
    switch (alg) {
    case cose::ES256:
    case cose::RS256:
    case cose::PS256:
        return EVP_sha256();
    case cose::ES384:
    case cose::RS384:
    case cose::PS384:
        return EVP_sha384();
    case cose::ES512:
    case cose::RS512:
    case cose::PS512:
        return EVP_sha512();
    case cose::RS1:
        return EVP_sha1();
    default:
        return nullptr;
    }
}

std::optional<QByteArray> digest(const EVP_MD *md, QByteArrayView data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (!md || EVP_Digest(data.data(), size_t(data.size()),
                          reinterpret_cast<unsigned char *>(out.data()), &length, md, nullptr) != 1)
        return std::nullopt;
    out.resize(length);
    return out;
}

bool hasExtendedKeyUsage(X509 *cert, const char *dottedOid)
{
    ExtendedKeyUsagePtr usages(static_cast<EXTENDED_KEY_USAGE *>(
        X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr)));
    Asn1ObjectPtr wanted(OBJ_txt2obj(dottedOid, 1));
    if (!usages || !wanted)
        return false;
    for (int i = 0; i < sk_ASN1_OBJECT_num(usages.get()); ++i) {
        if (OBJ_cmp(sk_ASN1_OBJECT_value(usages.get(), i), wanted.get()) == 0)
            return true;
    }
    return false;
}

bool nameHasAttribute(X509_NAME *name, const char *dottedOid)
{
    Asn1ObjectPtr wanted(OBJ_txt2obj(dottedOid, 1));
    return wanted && X509_NAME_get_index_by_OBJ(name, wanted.get(), -1) >= 0;
}

// SAN per TPMv2-EK-Profile §3.2.9: a directoryName with the TPM's
// manufacturer, model and version.
bool hasTpmSubjectAltName(X509 *cert)
{
    GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    if (!names)
        return false;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
        if (name->type != GEN_DIRNAME)
            continue;
        if (nameHasAttribute(name->d.directoryName, kTcgAtTpmManufacturer) &&
            nameHasAttribute(name->d.directoryName, kTcgAtTpmModel) &&
            nameHasAttribute(name->d.directoryName, kTcgAtTpmVersion))
            return true;
    }
    return false;
}

// §8.3.1 TPM Attestation Statement Certificate Requirements.
Check checkAikCertificateRequirements(X509 *cert)
{
    // "Version MUST be set to 3."
    if (X509_get_version(cert) != X509_VERSION_3)
        return invalid(QStringLiteral("the AIK certificate must be X.509 version 3"));
    // "Subject field MUST be set to empty."
    if (X509_NAME_entry_count(X509_get_subject_name(cert)) != 0)
        return invalid(QStringLiteral("the AIK certificate's subject must be empty"));
    // "The Subject Alternative Name extension MUST be set as defined in
    // [TPMv2-EK-Profile] section 3.2.9."
    if (!hasTpmSubjectAltName(cert))
        return invalid(QStringLiteral("the AIK certificate's SAN lacks the TPM manufacturer, "
                                      "model and version"));
    // "The Extended Key Usage extension MUST contain the OID 2.23.133.8.3."
    if (!hasExtendedKeyUsage(cert, kTcgKpAikCertificate))
        return invalid(QStringLiteral("the AIK certificate's EKU lacks tcg-kp-AIKCertificate "
                                      "(2.23.133.8.3)"));
    // "The Basic Constraints extension MUST have the CA component set to false."
    if (isCertificateAuthority(cert))
        return invalid(QStringLiteral("the AIK certificate must not be a CA"));
    return Ok{};
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct TpmStatement {
    std::int64_t alg = 0;
    QByteArray sig;
    CertificateChain x5c; // aikCert first
    QByteArray certInfo;  // TPMS_ATTEST, parsed in step 4
    QByteArray pubArea;   // TPMT_PUBLIC, parsed in step 2
};

Result<TpmStatement> decodeTpmStatement(const AttestationInput &input)
{
    auto members = decodeSignedMembers(
        input, {Presence::Required, Presence::Required, Presence::Required}, kFmt);
    if (!members)
        return members.error();
    auto ver = statementText(input.statement, QLatin1StringView("ver"), kFmt);
    if (!ver)
        return ver.error();
    if (*ver != QLatin1StringView("2.0"))
        return invalid(QStringLiteral("ver must be \"2.0\", not \"%1\"").arg(*ver));
    auto certInfo = statementBytes(input.statement, QLatin1StringView("certInfo"), kFmt);
    if (!certInfo)
        return certInfo.error();
    auto pubArea = statementBytes(input.statement, QLatin1StringView("pubArea"), kFmt);
    if (!pubArea)
        return pubArea.error();
    return TpmStatement{*members->alg, *members->sig, std::move(*members->x5c), *certInfo,
                        *pubArea};
}

} // namespace

Result<AttestationVerdict> verifyTpmAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodeTpmStatement(input);
    if (!statement)
        return statement.error();
    auto credential = attestedCredential(input, kFmt);
    if (!credential)
        return credential.error();

    // Step 2: the key in pubArea's parameters and unique fields is the credential key.
    auto pubArea = tpm::parsePublicArea(statement->pubArea);
    if (!pubArea)
        return pubArea.error();
    auto pubAreaKey = tpm::publicAreaKey(*pubArea);
    if (!pubAreaKey)
        return pubAreaKey.error();
    if (!publicKeysEqual(pubAreaKey->get(), (*credential)->publicKey.pkey.get()))
        return invalid(QStringLiteral("pubArea's key is not the credential public key"));

    // Step 3: attToBeSigned = authenticatorData || clientDataHash.
    const QByteArray attToBeSigned = attestedBytes(input);

    // Step 4: validate certInfo.
    // - magic is TPM_GENERATED_VALUE and type is TPM_ST_ATTEST_CERTIFY (checked by the parser).
    auto certInfo = tpm::parseCertifyInfo(statement->certInfo);
    if (!certInfo)
        return certInfo.error();
    // - extraData is the hash of attToBeSigned with the hash algorithm of alg.
    auto expectedExtraData = digest(digestForCoseAlg(statement->alg), attToBeSigned);
    if (!expectedExtraData)
        return invalid(QStringLiteral("alg %1 names no hash a TPM signs with").arg(statement->alg));
    if (!constantTimeEquals(certInfo->extraData, *expectedExtraData))
        return invalid(QStringLiteral("certInfo.extraData is not the hash of "
                                      "authenticatorData || clientDataHash"));
    // - attested.name is pubArea's Name: nameAlg || H_nameAlg(pubArea).
    auto nameDigest = digest(tpm::digestForAlg(pubArea->nameAlg), statement->pubArea);
    if (!nameDigest)
        return invalid(QStringLiteral("pubArea.nameAlg 0x%1 is not a hash we accept")
                           .arg(pubArea->nameAlg, 4, 16, QLatin1Char('0')));
    QByteArray expectedName(2, '\0');
    expectedName[0] = char(pubArea->nameAlg >> 8);
    expectedName[1] = char(pubArea->nameAlg & 0xff);
    expectedName += *nameDigest;
    if (!constantTimeEquals(certInfo->attestedName, expectedName))
        return invalid(QStringLiteral("certInfo's attested name is not the Name of pubArea"));

    // Step 5: x5c is present (decoded in step 1, every certificate valid at the
    // verification time); sig is a valid signature over certInfo by aikCert with alg.
    const CertificateChain &chain = statement->x5c;
    EvpPkeyPtr aikKey = certificatePublicKey(chain.leaf());
    auto signature = verifyStatementSignature(aikKey.get(), statement->alg, statement->certInfo,
                                              statement->sig, kFmt, AllowRs1::Yes);
    if (!signature)
        return signature.error();

    // Step 6: aikCert meets §8.3.1.
    auto requirements = checkAikCertificateRequirements(chain.leaf());
    if (!requirements)
        return requirements.error();

    // Step 7: id-fido-gen-ce-aaguid, when present, matches authData's AAGUID.
    auto aaguid = checkAaguidExtension(chain.leaf(), (*credential)->aaguid, kFmt);
    if (!aaguid)
        return aaguid.error();

    // Step 8: AttCA, trust path x5c.
    return AttestationVerdict{AttestationType::AttCA, chain.der};
}

} // namespace daarion::webauthn
