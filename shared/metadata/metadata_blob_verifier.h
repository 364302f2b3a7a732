#pragma once
// Checks a FIDO MDS3 metadata BLOB as FIDO Metadata Service v3.0 §3.2
// ("Metadata BLOB object processing rules") says, before anything in it is
// believed: the JWS header's alg (RS256, ES256, PS256), its x5c chain up to
// one of `roots` at the instant `at` (no partial chains: the chain must end
// at a configured root), then the signature with the chain's first
// certificate. The network is never used: x5u is not fetched and CRLs are
// not downloaded (the operator fetches the BLOB over TLS from the FIDO
// Alliance and imports the file).

#include "shared/metadata/jws_signature.h"
#include "shared/metadata/mds_roots.h"
#include "shared/metadata/metadata_blob.h"
#include "shared/metadata/metadata_error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>

namespace daarion::metadata
{

// The real BLOB is 5-6 MB; four times that leaves room to grow.
inline constexpr qsizetype kMaxBlobBytes = 20 * 1024 * 1024;
// Real chains have two or three certificates.
inline constexpr qsizetype kMaxBlobChainCertificates = 8;

struct VerifiedBlob {
    JwsAlgorithm algorithm = JwsAlgorithm::RS256;
    QList<QByteArray> chain; // x5c, DER, signer first
    QByteArray payload;      // the JSON text the signature covers
};

MetadataResult<VerifiedBlob> verifyMetadataBlob(QByteArrayView blob, const MdsRoots &roots,
                                                const QDateTime &at);

// verifyMetadataBlob, then parseMetadataPayload of what it verified.
MetadataResult<MetadataBlob> readMetadataBlob(QByteArrayView blob, const MdsRoots &roots,
                                              const QDateTime &at);

} // namespace daarion::metadata
