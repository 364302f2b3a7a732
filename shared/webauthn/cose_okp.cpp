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

// Ed25519 public keys that are no keys, which OpenSSL 3.0 imports anyway: an
// encoding whose y is not below p = 2^255 - 19 (RFC 8032 §5.1.3), and the
// eight points of small order (1, 2, 4, 8), under which signatures verify
// without any private key (under the identity, R = identity and S = 0 do for
// every message). Their y coordinates, little-endian with x's sign bit
// cleared, are listed below.
bool isWeakEd25519Key(QByteArrayView encoded)
{
    QByteArray y = encoded.toByteArray();
    y[31] = char(quint8(y[31]) & 0x7f);
    bool allOnes = quint8(y[31]) == 0x7f;
    for (int i = 1; i < 31; ++i)
        allOnes = allOnes && quint8(y[i]) == 0xff;
    if (allOnes && quint8(y[0]) >= 0xed)
        return true; // y >= p
    static const QByteArray smallOrder[] = {
        QByteArray::fromHex("0000000000000000000000000000000000000000000000000000000000000000"),
        QByteArray::fromHex("0100000000000000000000000000000000000000000000000000000000000000"),
        QByteArray::fromHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        QByteArray::fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        QByteArray::fromHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    };
    for (const QByteArray &weak : smallOrder) {
        if (y == weak)
            return true;
    }
    return false;
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
    if (curve->evpType == EVP_PKEY_ED25519 && isWeakEd25519Key(*x))
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("Ed25519 key is not canonical or of small order"));
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
