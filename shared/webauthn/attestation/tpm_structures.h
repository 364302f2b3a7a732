#pragma once
// The two TPM 2.0 structures a "tpm" attestation statement carries (TPM 2.0
// Library, Part 2: Structures), parsed strictly with a bounded reader:
// certInfo is a TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY, pubArea a
// TPMT_PUBLIC of an RSA or ECC key. Nothing may follow either structure.

#include "shared/webauthn/errors.h"
#include "shared/webauthn/openssl_handles.h"

#include <QByteArray>
#include <QByteArrayView>

#include <openssl/evp.h>

namespace daarion::webauthn::tpm {

inline constexpr quint32 kGeneratedValue = 0xff544347; // TPM_GENERATED_VALUE
inline constexpr quint16 kStAttestCertify = 0x8017;    // TPM_ST_ATTEST_CERTIFY

// TPM_ALG_ID values (TCG Algorithm Registry).
inline constexpr quint16 kAlgRsa = 0x0001;
inline constexpr quint16 kAlgSha1 = 0x0004;
inline constexpr quint16 kAlgSha256 = 0x000B;
inline constexpr quint16 kAlgSha384 = 0x000C;
inline constexpr quint16 kAlgSha512 = 0x000D;
inline constexpr quint16 kAlgNull = 0x0010;
inline constexpr quint16 kAlgEcc = 0x0023;

// TPM_ECC_CURVE values.
inline constexpr quint16 kEccNistP256 = 0x0003;
inline constexpr quint16 kEccNistP384 = 0x0004;
inline constexpr quint16 kEccNistP521 = 0x0005;

// TPMS_ATTEST with TPMS_CERTIFY_INFO as its attested member.
struct CertifyInfo {
    quint32 magic = 0;
    quint16 type = 0;
    QByteArray qualifiedSigner; // TPM2B_NAME
    QByteArray extraData;       // TPM2B_DATA
    quint64 clock = 0;          // TPMS_CLOCK_INFO, not judged by WebAuthn
    quint32 resetCount = 0;
    quint32 restartCount = 0;
    quint8 safe = 0;
    quint64 firmwareVersion = 0;
    QByteArray attestedName;          // TPMS_CERTIFY_INFO.name: nameAlg || digest
    QByteArray attestedQualifiedName; // TPMS_CERTIFY_INFO.qualifiedName
};

// TPMT_PUBLIC of an RSA or ECC key.
struct PublicArea {
    quint16 type = 0;    // kAlgRsa or kAlgEcc
    quint16 nameAlg = 0; // hash of the object's Name
    quint32 objectAttributes = 0;
    QByteArray authPolicy;
    // RSA
    quint16 rsaKeyBits = 0;
    quint32 rsaExponent = 0; // 0 means the default, 65537
    QByteArray rsaModulus;
    // ECC
    quint16 eccCurve = 0;
    QByteArray eccX;
    QByteArray eccY;
};

// Every failure is AttestationInvalid, with the member that did not parse.
Result<CertifyInfo> parseCertifyInfo(QByteArrayView bytes);
Result<PublicArea> parsePublicArea(QByteArrayView bytes);

// The OpenSSL digest of a TPM hash algorithm, or null for one we do not accept.
const EVP_MD *digestForAlg(quint16 tpmAlg);

// The key pubArea describes, as an EVP_PKEY to compare with the credential's.
Result<EvpPkeyPtr> publicAreaKey(const PublicArea &area);

} // namespace daarion::webauthn::tpm
