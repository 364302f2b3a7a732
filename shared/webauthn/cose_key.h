#pragma once
// COSE_Key (RFC 9052/9053, RFC 8230) credential public keys, decoded into an
// EVP_PKEY that is known to be valid (an EC point not on its curve never
// becomes a key). Key type, curve and algorithm must agree, or the key is
// refused with UnsupportedAlgorithm.
//
// Accepted: EC2 P-256/P-384/P-521 with ES256 (-7), ES384 (-35), ES512 (-36);
// OKP Ed25519 with EdDSA (-8) or Ed25519 (-19), OKP Ed448 with EdDSA (-8) or
// Ed448 (-53); RSA with RS256/384/512 (-257/-258/-259) and PS256/384/512
// (-37/-38/-39). RS1 (-65535) only where the caller allows it (TPM). RSA
// moduli from 2048 to 8192 bits. A key carrying labels beyond its type's
// public parameters (e.g. a private scalar) is MalformedCredential.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cbor.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>

namespace daarion::webauthn {

namespace cose {
inline constexpr std::int64_t ES256 = -7;
inline constexpr std::int64_t ES384 = -35;
inline constexpr std::int64_t ES512 = -36;
inline constexpr std::int64_t EdDSA = -8;
inline constexpr std::int64_t Ed25519 = -19;
inline constexpr std::int64_t Ed448 = -53;
inline constexpr std::int64_t PS256 = -37;
inline constexpr std::int64_t PS384 = -38;
inline constexpr std::int64_t PS512 = -39;
inline constexpr std::int64_t RS256 = -257;
inline constexpr std::int64_t RS384 = -258;
inline constexpr std::int64_t RS512 = -259;
inline constexpr std::int64_t RS1 = -65535;

inline constexpr int KtyOkp = 1;
inline constexpr int KtyEc2 = 2;
inline constexpr int KtyRsa = 3;

inline constexpr int CrvP256 = 1;
inline constexpr int CrvP384 = 2;
inline constexpr int CrvP521 = 3;
inline constexpr int CrvEd25519 = 6;
inline constexpr int CrvEd448 = 7;
} // namespace cose

enum class AllowRs1 { No, Yes };

struct CoseKey {
    std::int64_t alg = 0;
    int kty = 0;
    int crv = 0;                    // EC2 and OKP only
    QByteArray encoded;             // the COSE_Key bytes exactly as received
    std::shared_ptr<EVP_PKEY> pkey; // never null in a successful parse
};

Result<CoseKey> parseCoseKey(QByteArrayView encoded, AllowRs1 rs1 = AllowRs1::No);
Result<CoseKey> parseCoseKey(const cbor_item_t *map, QByteArrayView encoded,
                             AllowRs1 rs1 = AllowRs1::No);

// Verifies `signature` over `data` with `key` as COSE algorithm `alg` says:
// ECDSA signatures are ASN.1 DER (WebAuthn §6.5.5), EdDSA raw, RSA PKCS#1 v1.5
// or PSS with the algorithm's hash. Fails with SignatureInvalid, or
// UnsupportedAlgorithm when `alg` does not fit the key.
Check verifySignature(EVP_PKEY *key, std::int64_t alg, QByteArrayView data,
                      QByteArrayView signature);

// Whether `alg` names the type (and for EC, the curve) of `key`: an
// attestation certificate's key must fit the statement's alg.
bool algorithmFitsKey(std::int64_t alg, EVP_PKEY *key);

} // namespace daarion::webauthn
