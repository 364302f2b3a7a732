#include "shared/metadata/metadata_error.h"

namespace daarion::metadata
{

namespace
{

struct ErrorRow {
    MetadataErrorCode code;
    const char *name;
    const char *summary;
};

constexpr ErrorRow kErrors[] = {
    {MetadataErrorCode::TooLarge, "too_large", "the BLOB is larger than the import allows"},
    {MetadataErrorCode::MalformedJws, "malformed_jws",
     "the file is not a JWS compact serialization"},
    {MetadataErrorCode::UnsupportedAlgorithm, "unsupported_algorithm",
     "the BLOB is signed with an algorithm MDS3 does not allow (RS256, ES256, PS256)"},
    {MetadataErrorCode::MissingCertificates, "missing_certificates",
     "the BLOB's header carries no x5c certificate chain"},
    {MetadataErrorCode::MalformedCertificate, "malformed_certificate",
     "a certificate is not a valid X.509 certificate"},
    {MetadataErrorCode::CertificateExpired, "certificate_expired",
     "a certificate of the BLOB's chain is expired or not yet valid"},
    {MetadataErrorCode::ChainBroken, "chain_broken",
     "the certificates of the BLOB's chain do not sign one another"},
    {MetadataErrorCode::ChainUntrusted, "chain_untrusted",
     "the BLOB's certificate chain does not lead to the MDS root certificate (MDS_ROOT_CERT)"},
    {MetadataErrorCode::SignatureInvalid, "signature_invalid",
     "the BLOB's signature does not verify"},
    {MetadataErrorCode::MalformedJson, "malformed_json", "the BLOB's payload is not a JSON object"},
    {MetadataErrorCode::InvalidPayload, "invalid_payload",
     "the BLOB's payload does not follow the MDS3 format"},
    {MetadataErrorCode::NotNewer, "not_newer",
     "the BLOB's serial number (no) is not above the imported one; --force imports it anyway"},
    {MetadataErrorCode::RootUnavailable, "root_unavailable",
     "the MDS root certificate (MDS_ROOT_CERT) cannot be read"},
};

const ErrorRow &rowFor(MetadataErrorCode code)
{
    for (const ErrorRow &row : kErrors) {
        if (row.code == code)
            return row;
    }
    return kErrors[0]; // unreachable: every code has a row
}

} // namespace

QString metadataErrorName(MetadataErrorCode code)
{
    return QString::fromLatin1(rowFor(code).name);
}

QString metadataErrorSummary(MetadataErrorCode code)
{
    return QString::fromLatin1(rowFor(code).summary);
}

MetadataError metadataError(MetadataErrorCode code, const QString &detail)
{
    const QString summary = metadataErrorSummary(code);
    return MetadataError{code,
                         detail.isEmpty() ? summary : summary + QStringLiteral(": ") + detail};
}

} // namespace daarion::metadata
