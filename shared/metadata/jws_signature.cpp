#include "shared/metadata/jws_signature.h"

#include "shared/webauthn/jose_ecdsa_signature.h"
#include "shared/webauthn/openssl_handles.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

namespace daarion::metadata
{

namespace
{

using webauthn::EvpMdCtxPtr;

constexpr int kMinRsaBits = 2048;

struct AlgorithmRow {
    JwsAlgorithm algorithm;
    const char *name;
};
constexpr AlgorithmRow kAlgorithms[] = {
    {JwsAlgorithm::RS256, "RS256"},
    {JwsAlgorithm::ES256, "ES256"},
    {JwsAlgorithm::PS256, "PS256"},
};

MetadataError invalid(const QString &detail)
{
    return metadataError(MetadataErrorCode::SignatureInvalid, detail);
}

bool isP256(EVP_PKEY *key)
{
    char group[64] = {};
    size_t length = 0;
    return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
           EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                          &length) == 1 &&
           QByteArrayView(group, qsizetype(length)) == "prime256v1";
}

} // namespace

std::optional<JwsAlgorithm> jwsAlgorithmFromName(const QString &name)
{
    for (const AlgorithmRow &row : kAlgorithms) {
        if (name == QLatin1StringView(row.name))
            return row.algorithm;
    }
    return std::nullopt;
}

QString jwsAlgorithmName(JwsAlgorithm algorithm)
{
    for (const AlgorithmRow &row : kAlgorithms) {
        if (row.algorithm == algorithm)
            return QString::fromLatin1(row.name);
    }
    return QString();
}

MetadataCheck verifyJwsSignature(JwsAlgorithm algorithm, EVP_PKEY *key, QByteArrayView signingInput,
                                 QByteArrayView signature)
{
    if (!key)
        return invalid(QStringLiteral("the signing certificate's key cannot be read"));
    QByteArray derSignature;
    if (algorithm == JwsAlgorithm::ES256) {
        if (!isP256(key))
            return invalid(QStringLiteral("ES256 needs a P-256 key in the signing certificate"));
        auto der = webauthn::joseEs256SignatureToDer(signature);
        if (!der)
            return invalid(QStringLiteral("an ES256 signature is 64 bytes (R || S), not %1")
                               .arg(signature.size()));
        derSignature = std::move(*der);
    } else {
        if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
            return invalid(QStringLiteral("%1 needs an RSA key in the signing certificate")
                               .arg(jwsAlgorithmName(algorithm)));
        if (EVP_PKEY_get_bits(key) < kMinRsaBits)
            return invalid(QStringLiteral("the signing RSA key has %1 bits (at least %2)")
                               .arg(EVP_PKEY_get_bits(key))
                               .arg(kMinRsaBits));
        derSignature = signature.toByteArray();
    }

    EvpMdCtxPtr context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *keyContext = nullptr; // owned by `context`
    bool ready = context &&
                 EVP_DigestVerifyInit(context.get(), &keyContext, EVP_sha256(), nullptr, key) == 1;
    if (ready && algorithm == JwsAlgorithm::PS256) {
        ready = EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1 &&
                EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) == 1 &&
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, 32) == 1;
    }
    const bool verified =
        ready && EVP_DigestVerify(context.get(),
                                  reinterpret_cast<const unsigned char *>(derSignature.constData()),
                                  size_t(derSignature.size()),
                                  reinterpret_cast<const unsigned char *>(signingInput.data()),
                                  size_t(signingInput.size())) == 1;
    ERR_clear_error();
    if (!verified)
        return invalid(QStringLiteral("%1 signature over the header and payload does not verify")
                           .arg(jwsAlgorithmName(algorithm)));
    return webauthn::Ok{};
}

} // namespace daarion::metadata
