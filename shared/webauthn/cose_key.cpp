// COSE_Key decoding and signature verification: checks the labels a key may
// carry, that kty, crv and alg agree, then hands the key to its family
// (cose_ec2.cpp, cose_okp.cpp, cose_rsa.cpp).
#include "shared/webauthn/cose_key.h"

#include "shared/webauthn/cbor.h"
#include "shared/webauthn/cose_families.h"

#include <openssl/err.h>

#include <initializer_list>

namespace daarion::webauthn {

using namespace cose_family;

namespace {

// Labels a public key of each type may carry: common (kty, kid, alg, key_ops,
// Base IV) plus its own public parameters. A private parameter (EC2/OKP d,
// RSA d/p/q/…) or anything unknown means the client sent something it should not.
bool onlyLabels(const cbor_item_t *map, std::initializer_list<std::int64_t> own)
{
    const cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i) {
        const auto label = cborInteger(pairs[i].key);
        if (!label)
            return false;
        const bool common = *label >= 1 && *label <= 5;
        bool known = common;
        for (std::int64_t allowed : own)
            known = known || *label == allowed;
        if (!known)
            return false;
    }
    return true;
}

Error unsupported(const QString &why) { return fail(ErrorCode::UnsupportedAlgorithm, why); }

} // namespace

Result<CoseKey> parseCoseKey(QByteArrayView encoded, AllowRs1 rs1)
{
    Result<DecodedCbor> decoded = decodeCbor(encoded);
    if (!decoded)
        return decoded.error();
    return parseCoseKey(decoded->item.get(), encoded, rs1);
}

Result<CoseKey> parseCoseKey(const cbor_item_t *map, QByteArrayView encoded, AllowRs1 rs1)
{
    if (!map || !cbor_isa_map(map))
        return fail(ErrorCode::MalformedCredential, QStringLiteral("COSE_Key is not a CBOR map"));
    const auto kty = cborInteger(cborMapGet(map, LabelKty));
    const auto alg = cborInteger(cborMapGet(map, LabelAlg));
    if (!kty || !alg)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("COSE_Key needs integer kty (1) and alg (3)"));
    if (*alg == cose::RS1 && rs1 == AllowRs1::No)
        return unsupported(QStringLiteral("RS1 (-65535) is accepted only inside TPM attestation"));

    CoseKey key;
    key.alg = *alg;
    key.kty = int(*kty);
    key.encoded = encoded.toByteArray();
    Result<EvpPkeyPtr> pkey = unsupported(QStringLiteral("COSE kty %1 is not supported").arg(*kty));

    if (*kty == cose::KtyEc2 || *kty == cose::KtyOkp) {
        const auto crv = cborInteger(cborMapGet(map, LabelCrv));
        if (!crv || *crv < 0 || *crv > 0xffff)
            return fail(ErrorCode::MalformedCredential, QStringLiteral("COSE_Key needs an integer crv (-1)"));
        key.crv = int(*crv);
        if (*kty == cose::KtyEc2) {
            if (ec2CurveForAlg(*alg) != key.crv)
                return unsupported(QStringLiteral("EC2 curve %1 does not fit alg %2").arg(key.crv).arg(*alg));
            if (!onlyLabels(map, {LabelCrv, LabelX, LabelY}))
                return fail(ErrorCode::MalformedCredential, QStringLiteral("EC2 key carries unexpected labels"));
            pkey = ec2PublicKey(key.crv, map);
        } else {
            if (!okpAlgorithmFitsCurve(*alg, key.crv))
                return unsupported(QStringLiteral("OKP curve %1 does not fit alg %2").arg(key.crv).arg(*alg));
            if (!onlyLabels(map, {LabelCrv, LabelX}))
                return fail(ErrorCode::MalformedCredential, QStringLiteral("OKP key carries unexpected labels"));
            pkey = okpPublicKey(key.crv, map);
        }
    } else if (*kty == cose::KtyRsa) {
        if (!isRsaAlg(*alg))
            return unsupported(QStringLiteral("alg %1 is not an RSA algorithm").arg(*alg));
        if (!onlyLabels(map, {LabelRsaN, LabelRsaE}))
            return fail(ErrorCode::MalformedCredential, QStringLiteral("RSA key carries unexpected labels"));
        pkey = rsaPublicKey(map);
    }
    if (!pkey) {
        ERR_clear_error();
        return pkey.error();
    }
    key.pkey = sharePkey(std::move(pkey.value()));
    return key;
}

Check verifySignature(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature)
{
    if (!key)
        return unsupported(QStringLiteral("no key to verify with"));
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: return ec2Verify(key, alg, data, signature);
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448: return okpVerify(key, alg, data, signature);
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return rsaVerify(key, alg, data, signature);
    default: return unsupported(QStringLiteral("key type %1 is not supported").arg(EVP_PKEY_get_base_id(key)));
    }
}

bool algorithmFitsKey(std::int64_t alg, EVP_PKEY *key)
{
    return ec2AlgorithmFitsKey(alg, key) || okpAlgorithmFitsKey(alg, key) || rsaAlgorithmFitsKey(alg, key);
}

namespace cose_family {

Check digestVerify(EVP_PKEY *key, const EVP_MD *md, QByteArrayView data, QByteArrayView signature,
                   bool (*configure)(EVP_PKEY_CTX *, const EVP_MD *))
{
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *keyContext = nullptr; // owned by `context`
    const bool verified =
        context && EVP_DigestVerifyInit(context.get(), &keyContext, md, nullptr, key) == 1 &&
        (!configure || configure(keyContext, md)) &&
        EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                         size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.data()),
                         size_t(data.size())) == 1;
    if (verified)
        return Ok{};
    ERR_clear_error(); // a failed verification leaves entries no one else should see
    return fail(ErrorCode::SignatureInvalid, QStringLiteral("signature does not verify"));
}

} // namespace cose_family

} // namespace daarion::webauthn
