// COSE OKP keys (kty 1): Ed25519 (crv 6) and Ed448 (crv 7). The polymorphic
// EdDSA (-8) fits either curve; the fully specified Ed25519 (-19) and Ed448
// (-53) fit only their own. Signatures are raw (RFC 8032), no pre-hash.
#include "shared/webauthn/cose_families.h"

#include "shared/webauthn/cbor.h"

namespace daarion::webauthn::cose_family {

namespace {

struct Curve {
    int crv;
    int evpType;
    qsizetype keyLength;
    qsizetype signatureLength;
    std::int64_t fullySpecifiedAlg;
};

constexpr Curve kCurves[] = {
    {cose::CrvEd25519, EVP_PKEY_ED25519, 32, 64, cose::Ed25519},
    {cose::CrvEd448, EVP_PKEY_ED448, 57, 114, cose::Ed448},
};

const Curve *curveForCrv(int crv)
{
    for (const Curve &curve : kCurves) {
        if (curve.crv == crv)
            return &curve;
    }
    return nullptr;
}

const Curve *curveOf(EVP_PKEY *key)
{
    if (!key)
        return nullptr;
    for (const Curve &curve : kCurves) {
        if (EVP_PKEY_get_base_id(key) == curve.evpType)
            return &curve;
    }
    return nullptr;
}

} // namespace

bool okpAlgorithmFitsCurve(std::int64_t alg, int crv)
{
    const Curve *curve = curveForCrv(crv);
    return curve && (alg == cose::EdDSA || alg == curve->fullySpecifiedAlg);
}

Result<EvpPkeyPtr> okpPublicKey(int crv, const cbor_item_t *map)
{
    const Curve *curve = curveForCrv(crv);
    if (!curve)
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("OKP curve %1 is not supported").arg(crv));
    const auto x = cborBytes(cborMapGet(map, LabelX));
    if (!x || x->size() != curve->keyLength)
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("OKP key needs x as a byte string of %1 bytes").arg(curve->keyLength));
    EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(curve->evpType, nullptr,
                                               reinterpret_cast<const unsigned char *>(x->constData()),
                                               size_t(x->size())));
    if (!key)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("OKP key: OpenSSL refused the public key"));
    return key;
}

bool okpAlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key)
{
    const Curve *curve = curveOf(key);
    return curve && okpAlgorithmFitsCurve(alg, curve->crv);
}

Check okpVerify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature)
{
    const Curve *curve = curveOf(key);
    if (!curve || !okpAlgorithmFitsCurve(alg, curve->crv))
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("alg %1 does not fit this OKP key").arg(alg));
    if (signature.size() != curve->signatureLength)
        return fail(ErrorCode::SignatureInvalid,
                    QStringLiteral("EdDSA signature must be %1 bytes").arg(curve->signatureLength));
    return digestVerify(key, nullptr, data, signature);
}

} // namespace daarion::webauthn::cose_family
