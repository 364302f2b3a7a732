// A FIDO MDS3 metadata BLOB (shared/metadata): the file an operator imports
// with `daarion-authd metadata import`, downloaded from the network.
//
// Every input goes through both layers: the payload parser on its own (what
// a verified BLOB's JSON meets) and the whole BLOB (compact JWS, header,
// x5c chain to the shipped FIDO root at a fixed instant, signature).
//
// Properties: a refusal carries the code of its layer; an accepted payload
// keeps every bound metadata_blob.h states, each entry names an AAGUID, its
// status is its latest report's, and an icon is an image data: URI.
#include "fuzz/harness.h"

#include "shared/metadata/mds_roots.h"
#include "shared/metadata/metadata_blob.h"
#include "shared/metadata/metadata_blob_verifier.h"

#include <QDateTime>

using namespace daarion::metadata;

namespace
{

void checkPayload(const MetadataBlob &blob)
{
    FUZZ_CHECK(blob.entries.size() <= kMaxEntries);
    for (const MetadataEntry &entry : blob.entries) {
        FUZZ_CHECK(!entry.aaguid.isNull());
        FUZZ_CHECK(entry.description.size() <= kMaxDescriptionChars);
        FUZZ_CHECK(entry.icon.isEmpty() || (entry.icon.size() <= kMaxIconChars &&
                                            entry.icon.startsWith(QLatin1String("data:image/"))));
        FUZZ_CHECK(entry.statusReports.size() <= kMaxStatusReports);
        FUZZ_CHECK(entry.attestationRoots.size() <= kMaxEntryRoots);
        const StatusReport *latest = latestStatusReport(entry.statusReports);
        FUZZ_CHECK(entry.status == (latest ? latest->status : QString()));
        FUZZ_CHECK(entry.status.size() <= kMaxStatusChars);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);

    const MetadataResult<MetadataBlob> payload = parseMetadataPayload(input);
    if (payload)
        checkPayload(*payload);
    else
        FUZZ_CHECK(payload.error().code == MetadataErrorCode::MalformedJson ||
                   payload.error().code == MetadataErrorCode::InvalidPayload);

    static const MdsRoots roots = MdsRoots::bundled();
    static const QDateTime at = QDateTime::fromString(QStringLiteral("2026-06-01T00:00:00Z"), Qt::ISODate);
    const MetadataResult<MetadataBlob> blob = readMetadataBlob(input, roots, at);
    if (blob)
        checkPayload(*blob);
    else
        FUZZ_CHECK(blob.error().code != MetadataErrorCode::NotNewer &&
                   blob.error().code != MetadataErrorCode::RootUnavailable);
    return 0;
}
