#pragma once
// Internal to cose_key.cpp and the one file per COSE key family
// (cose_ec2.cpp, cose_okp.cpp, cose_rsa.cpp). Each family has the same three
// verbs: build a checked EVP_PKEY from a COSE_Key map, say whether an alg fits
// a key, and verify a signature. cose_key.cpp switches on kty once.

#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/openssl_handles.h"

namespace daarion::webauthn::cose_family {

// COSE_Key map labels (RFC 9052 §7, RFC 9053 §7, RFC 8230 §4).
inline constexpr std::int64_t LabelKty = 1;
inline constexpr std::int64_t LabelAlg = 3;
inline constexpr std::int64_t LabelCrv = -1;  // EC2, OKP
inline constexpr std::int64_t LabelX = -2;    // EC2, OKP
inline constexpr std::int64_t LabelY = -3;    // EC2
inline constexpr std::int64_t LabelRsaN = -1; // RSA modulus
inline constexpr std::int64_t LabelRsaE = -2; // RSA public exponent

// The curve an EC2 alg requires (0 when `alg` is no EC2 alg).
int ec2CurveForAlg(std::int64_t alg);
Result<EvpPkeyPtr> ec2PublicKey(int crv, const cbor_item_t *map);
bool ec2AlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key);
Check ec2Verify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature);

bool okpAlgorithmFitsCurve(std::int64_t alg, int crv);
Result<EvpPkeyPtr> okpPublicKey(int crv, const cbor_item_t *map);
bool okpAlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key);
Check okpVerify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature);

bool isRsaAlg(std::int64_t alg);
inline constexpr int kMinRsaModulusBits = 2048;
inline constexpr int kMaxRsaModulusBits = 8192;
Result<EvpPkeyPtr> rsaPublicKey(const cbor_item_t *map);
bool rsaAlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key);
Check rsaVerify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature);

// One-shot EVP_DigestVerify, shared by the families; `configure` may set
// padding on the verification context. SignatureInvalid when it does not verify.
Check digestVerify(EVP_PKEY *key, const EVP_MD *md, QByteArrayView data, QByteArrayView signature,
                   bool (*configure)(EVP_PKEY_CTX *, const EVP_MD *) = nullptr);

} // namespace daarion::webauthn::cose_family
