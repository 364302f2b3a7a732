#include "shared/metadata/metadata_blob_verifier.h"

#include "shared/metadata/compact_jws.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/openssl_handles.h"

#include <QJsonArray>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <vector>

namespace daarion::metadata
{

namespace
{

using webauthn::X509Ptr;

MetadataResult<QList<QByteArray>> x5cChain(const QJsonObject &header)
{
    const QJsonValue x5c = header.value(QStringLiteral("x5c"));
    if (x5c.isUndefined())
        return metadataError(MetadataErrorCode::MissingCertificates,
                             header.contains(QStringLiteral("x5u"))
                                 ? QStringLiteral("only x5u is given, and it is never fetched")
                                 : QString());
    const QJsonArray array = x5c.toArray();
    if (!x5c.isArray() || array.isEmpty() || array.size() > kMaxBlobChainCertificates)
        return metadataError(MetadataErrorCode::MalformedCertificate,
                             QStringLiteral("x5c must be an array of 1..%1 certificates")
                                 .arg(kMaxBlobChainCertificates));
    QList<QByteArray> chain;
    for (qsizetype i = 0; i < array.size(); ++i) {
        // RFC 7515 §4.1.6: base64 (not base64url) DER.
        const auto decoded = QByteArray::fromBase64Encoding(
            array.at(i).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!array.at(i).isString() || !decoded || decoded.decoded.isEmpty())
            return metadataError(MetadataErrorCode::MalformedCertificate,
                                 QStringLiteral("x5c[%1] is not base64").arg(i));
        if (auto parsed = webauthn::parseCertificate(*decoded); !parsed)
            return metadataError(MetadataErrorCode::MalformedCertificate,
                                 QStringLiteral("x5c[%1]: %2").arg(i).arg(parsed.error().message));
        chain.append(*decoded);
    }
    return chain;
}

MetadataError chainError(int error, int depth)
{
    const QString where = QStringLiteral("x5c[%1]: %2")
                              .arg(depth)
                              .arg(QString::fromLatin1(X509_verify_cert_error_string(error)));
    switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return metadataError(MetadataErrorCode::CertificateExpired, where);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return metadataError(MetadataErrorCode::ChainUntrusted, where);
    default:
        return metadataError(MetadataErrorCode::ChainBroken, where);
    }
}

MetadataCheck verifyChain(const QList<QByteArray> &chain, const MdsRoots &roots,
                          const QDateTime &at)
{
    webauthn::X509StorePtr store(X509_STORE_new());
    webauthn::X509StackPtr untrusted(sk_X509_new_null());
    webauthn::X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!store || !untrusted || !context)
        return metadataError(MetadataErrorCode::ChainBroken, QStringLiteral("out of memory"));
    for (const QByteArray &der : roots.certificates()) {
        auto root = webauthn::parseCertificate(der);
        if (!root)
            return metadataError(MetadataErrorCode::RootUnavailable, root.error().message);
        if (X509_STORE_add_cert(store.get(), root->get()) != 1)
            ERR_clear_error(); // the same root twice
    }
    auto leaf = webauthn::parseCertificate(chain.front());
    if (!leaf)
        return metadataError(MetadataErrorCode::MalformedCertificate, leaf.error().message);
    for (qsizetype i = 1; i < chain.size(); ++i) {
        auto cert = webauthn::parseCertificate(chain[i]);
        if (!cert || !sk_X509_push(untrusted.get(), cert->get()))
            return metadataError(MetadataErrorCode::MalformedCertificate,
                                 QStringLiteral("x5c[%1] cannot be used").arg(i));
        cert->release(); // the stack owns it now
    }
    if (X509_STORE_CTX_init(context.get(), store.get(), leaf->get(), untrusted.get()) != 1)
        return metadataError(MetadataErrorCode::ChainBroken,
                             QStringLiteral("cannot start the check"));
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(context.get());
    X509_VERIFY_PARAM_set_time(param, time_t(at.toSecsSinceEpoch()));
    // A certificate inside x5c never becomes an anchor: only `roots` are.
    X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    const bool verified = X509_verify_cert(context.get()) == 1;
    const int error = X509_STORE_CTX_get_error(context.get());
    const int depth = X509_STORE_CTX_get_error_depth(context.get());
    ERR_clear_error();
    if (!verified)
        return chainError(error, depth);
    return webauthn::Ok{};
}

} // namespace

MetadataResult<VerifiedBlob> verifyMetadataBlob(QByteArrayView blob, const MdsRoots &roots,
                                                const QDateTime &at)
{
    if (blob.size() > kMaxBlobBytes)
        return metadataError(
            MetadataErrorCode::TooLarge,
            QStringLiteral("%1 bytes, at most %2").arg(blob.size()).arg(kMaxBlobBytes));
    auto jws = parseCompactJws(blob);
    if (!jws)
        return jws.error();

    const QJsonValue alg = jws->header.value(QStringLiteral("alg"));
    const auto algorithm = jwsAlgorithmFromName(alg.toString());
    if (!algorithm)
        return metadataError(MetadataErrorCode::UnsupportedAlgorithm,
                             alg.isString()
                                 ? QStringLiteral("alg is '%1'").arg(alg.toString().left(32))
                                 : QStringLiteral("the header has no alg string"));
    // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
    if (jws->header.contains(QStringLiteral("crit")))
        return metadataError(MetadataErrorCode::MalformedJws,
                             QStringLiteral("the header lists critical extensions (crit)"));

    auto chain = x5cChain(jws->header);
    if (!chain)
        return chain.error();
    if (roots.certificates().isEmpty())
        return metadataError(MetadataErrorCode::RootUnavailable,
                             QStringLiteral("no root configured"));
    if (auto trusted = verifyChain(*chain, roots, at.toUTC()); !trusted)
        return trusted.error();

    auto signer = webauthn::parseCertificate(chain->front());
    webauthn::EvpPkeyPtr key = signer ? webauthn::certificatePublicKey(signer->get()) : nullptr;
    if (auto signature =
            verifyJwsSignature(*algorithm, key.get(), jws->signingInput, jws->signature);
        !signature)
        return signature.error();

    VerifiedBlob verified;
    verified.algorithm = *algorithm;
    verified.chain = std::move(chain).value();
    verified.payload = std::move(jws->payload);
    return verified;
}

MetadataResult<MetadataBlob> readMetadataBlob(QByteArrayView blob, const MdsRoots &roots,
                                              const QDateTime &at)
{
    auto verified = verifyMetadataBlob(blob, roots, at);
    if (!verified)
        return verified.error();
    return parseMetadataPayload(verified->payload);
}

} // namespace daarion::metadata
