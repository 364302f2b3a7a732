#pragma once
// The three JWS algorithms an MDS3 BLOB may be signed with (FIDO Metadata
// Service v3.0 §3.1.7: RS256, ES256 or PS256; RFC 7518 §3) and the check of a
// signature made with one of them by a certificate's key.

#include "shared/metadata/metadata_error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <openssl/evp.h>

#include <optional>

namespace daarion::metadata
{

enum class JwsAlgorithm { RS256, ES256, PS256 };

// Exactly "RS256", "ES256" or "PS256"; anything else (none, HS256, ES384, …) is nothing.
std::optional<JwsAlgorithm> jwsAlgorithmFromName(const QString &name);
QString jwsAlgorithmName(JwsAlgorithm algorithm);

// RS256/PS256 need an RSA key of at least 2048 bits, ES256 a P-256 key with
// the signature as R || S (64 bytes, RFC 7518 §3.4). PS256 uses MGF1-SHA-256
// and a 32-byte salt (RFC 7518 §3.5).
MetadataCheck verifyJwsSignature(JwsAlgorithm algorithm, EVP_PKEY *key, QByteArrayView signingInput,
                                 QByteArrayView signature);

} // namespace daarion::metadata
