#pragma once
// Why a metadata BLOB (or the bundled data) is refused: one code per cause,
// each with a stable machine name and a sentence for the operator, in one
// table. The message of a MetadataError adds what exactly was wrong.

#include "shared/webauthn/errors.h"

#include <QString>

namespace daarion::metadata
{

enum class MetadataErrorCode {
    TooLarge,             // the file is over kMaxBlobBytes
    MalformedJws,         // not three base64url parts, or a header that is not a JSON object
    UnsupportedAlgorithm, // header alg is not RS256, ES256 or PS256
    MissingCertificates,  // no x5c in the header (x5u is never fetched)
    MalformedCertificate, // an x5c entry or a root that is not an X.509 certificate
    CertificateExpired,   // a certificate of the chain is expired or not yet valid
    ChainBroken,          // the chain's certificates do not sign one another
    ChainUntrusted,       // the chain does not lead to MDS_ROOT_CERT
    SignatureInvalid,     // the JWS signature does not verify with the leaf's key
    MalformedJson,        // the payload is not a JSON object
    InvalidPayload,       // a member is missing, of the wrong type, or out of bounds
    NotNewer,             // `no` is not above the imported one (without --force)
    RootUnavailable,      // MDS_ROOT_CERT cannot be read or holds no certificate
};

// "signature_invalid", … (for JSON output and tests).
QString metadataErrorName(MetadataErrorCode code);
// What the code means, for people: "the BLOB's signature does not verify".
QString metadataErrorSummary(MetadataErrorCode code);

struct MetadataError {
    MetadataErrorCode code;
    QString message; // the summary plus what exactly was wrong
};

template <typename T> using MetadataResult = webauthn::Result<T, MetadataError>;
using MetadataCheck = webauthn::Result<webauthn::Ok, MetadataError>;

MetadataError metadataError(MetadataErrorCode code, const QString &detail = {});

} // namespace daarion::metadata
