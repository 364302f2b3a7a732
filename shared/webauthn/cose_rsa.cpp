// COSE RSA keys (kty 3, RFC 8230): RSASSA-PKCS1-v1_5 with RS256/384/512
// (-257/-258/-259) and RS1 (-65535, TPM only: parseCoseKey gates it), and
// RSASSA-PSS with PS256/384/512 (-37/-38/-39; MGF1 with the same hash, salt
// as long as the hash, RFC 8230 §2).
//
// Moduli from 2048 to 8192 bits are accepted: below is breakable, above only
// makes verification a denial-of-service lever. The exponent must be odd and
// fit in 32 bits (every authenticator uses 65537). No primality test: it would
// cost milliseconds per sign-in for a key that the authenticator itself chose.
#include "shared/webauthn/cose_families.h"

#include "shared/webauthn/cbor.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

namespace daarion::webauthn::cose_family {

namespace {

enum class Padding { Pkcs1, Pss };

struct RsaAlg {
    std::int64_t alg;
    Padding padding;
    const EVP_MD *(*md)();
};

constexpr RsaAlg kAlgs[] = {
    {cose::RS256, Padding::Pkcs1, EVP_sha256}, {cose::RS384, Padding::Pkcs1, EVP_sha384},
    {cose::RS512, Padding::Pkcs1, EVP_sha512}, {cose::RS1, Padding::Pkcs1, EVP_sha1},
    {cose::PS256, Padding::Pss, EVP_sha256},   {cose::PS384, Padding::Pss, EVP_sha384},
    {cose::PS512, Padding::Pss, EVP_sha512},
};

const RsaAlg *rsaAlg(std::int64_t alg)
{
    for (const RsaAlg &entry : kAlgs) {
        if (entry.alg == alg)
            return &entry;
    }
    return nullptr;
}

bool usePss(EVP_PKEY_CTX *context, const EVP_MD *md)
{
    return EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(context, md) == 1;
}

bool usePkcs1(EVP_PKEY_CTX *context, const EVP_MD *)
{
    return EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1;
}

BignumPtr toBignum(const QByteArray &bytes)
{
    return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()),
                               int(bytes.size()), nullptr));
}

} // namespace

bool isRsaAlg(std::int64_t alg) { return rsaAlg(alg) != nullptr; }

Result<EvpPkeyPtr> rsaPublicKey(const cbor_item_t *map)
{
    const auto n = cborBytes(cborMapGet(map, LabelRsaN));
    const auto e = cborBytes(cborMapGet(map, LabelRsaE));
    // Sizes are checked before any big-number work.
    if (!n || !e || n->isEmpty() || e->isEmpty() || n->size() > kMaxRsaModulusBits / 8 || e->size() > 4)
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("RSA key needs n (at most %1 bytes) and e (at most 4 bytes)")
                        .arg(kMaxRsaModulusBits / 8));
    BignumPtr modulus = toBignum(*n);
    BignumPtr exponent = toBignum(*e);
    if (!modulus || !exponent)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("RSA key: OpenSSL could not read n or e"));
    const int bits = BN_num_bits(modulus.get());
    if (bits < kMinRsaModulusBits || bits > kMaxRsaModulusBits)
        return fail(ErrorCode::UnsupportedAlgorithm,
                    QStringLiteral("RSA modulus of %1 bits is outside %2..%3")
                        .arg(bits).arg(kMinRsaModulusBits).arg(kMaxRsaModulusBits));
    if (!BN_is_odd(modulus.get()) || !BN_is_odd(exponent.get()) || BN_num_bits(exponent.get()) < 2)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("RSA key: n and e must be odd, e at least 3"));

    OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) ||
        !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()))
        return fail(ErrorCode::MalformedCredential, QStringLiteral("RSA key: OpenSSL could not build parameters"));
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("RSA key: OpenSSL refused n and e"));
    return EvpPkeyPtr(raw);
}

bool rsaAlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key)
{
    const RsaAlg *entry = rsaAlg(alg);
    if (!entry || !key)
        return false;
    const int type = EVP_PKEY_get_base_id(key);
    // An RSA-PSS-only key (seen in some certificates) can only make PSS signatures.
    return type == EVP_PKEY_RSA || (type == EVP_PKEY_RSA_PSS && entry->padding == Padding::Pss);
}

Check rsaVerify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature)
{
    if (!rsaAlgorithmFitsKey(alg, key))
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("alg %1 does not fit this RSA key").arg(alg));
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaModulusBits || bits > kMaxRsaModulusBits)
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("RSA key of %1 bits refused").arg(bits));
    if (signature.size() != EVP_PKEY_get_size(key))
        return fail(ErrorCode::SignatureInvalid, QStringLiteral("RSA signature must be as long as the modulus"));
    const RsaAlg *entry = rsaAlg(alg);
    return digestVerify(key, entry->md(), data, signature,
                        entry->padding == Padding::Pss ? usePss : usePkcs1);
}

} // namespace daarion::webauthn::cose_family
