// COSE EC2 keys (kty 2) on P-256, P-384 and P-521 with ECDSA: ES256 (-7),
// ES384 (-35), ES512 (-36). RFC 9053 §2.1 binds each alg to one hash, and
// WebAuthn's registry binds it to one curve; anything else is refused.
#include "shared/webauthn/cose_families.h"

#include "shared/webauthn/cbor.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>

namespace daarion::webauthn::cose_family {

namespace {

struct Curve {
    int crv;
    std::int64_t alg;
    const char *groupName; // OpenSSL's name for the group
    int nid;
    qsizetype coordinateLength;
    const EVP_MD *(*md)();
};

constexpr Curve kCurves[] = {
    {cose::CrvP256, cose::ES256, "prime256v1", NID_X9_62_prime256v1, 32, EVP_sha256},
    {cose::CrvP384, cose::ES384, "secp384r1", NID_secp384r1, 48, EVP_sha384},
    {cose::CrvP521, cose::ES512, "secp521r1", NID_secp521r1, 66, EVP_sha512},
};

const Curve *curveForCrv(int crv)
{
    for (const Curve &curve : kCurves) {
        if (curve.crv == crv)
            return &curve;
    }
    return nullptr;
}

const Curve *curveForAlg(std::int64_t alg)
{
    for (const Curve &curve : kCurves) {
        if (curve.alg == alg)
            return &curve;
    }
    return nullptr;
}

int curveNidOf(EVP_PKEY *key)
{
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
        return NID_undef;
    char name[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof name, &length) != 1)
        return NID_undef;
    int nid = OBJ_txt2nid(name);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(name);
    return nid;
}

} // namespace

int ec2CurveForAlg(std::int64_t alg)
{
    const Curve *curve = curveForAlg(alg);
    return curve ? curve->crv : 0;
}

Result<EvpPkeyPtr> ec2PublicKey(int crv, const cbor_item_t *map)
{
    const Curve *curve = curveForCrv(crv);
    if (!curve)
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("EC2 curve %1 is not supported").arg(crv));
    const auto x = cborBytes(cborMapGet(map, LabelX));
    const auto y = cborBytes(cborMapGet(map, LabelY)); // a boolean y (compressed point) is refused here
    if (!x || !y || x->size() != curve->coordinateLength || y->size() != curve->coordinateLength)
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("EC2 key needs x and y byte strings of %1 bytes each").arg(curve->coordinateLength));

    const QByteArray point = QByteArray(1, '\x04') + *x + *y; // SEC 1 uncompressed point
    OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->groupName, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                          size_t(point.size())))
        return fail(ErrorCode::MalformedCredential, QStringLiteral("EC2 key: OpenSSL could not build parameters"));
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("EC2 key: the point is not on the curve"));
    EvpPkeyPtr key(raw);

    // Public-key validation: not infinity, coordinates in range, on the curve.
    // The "quick" check skips n*Q == O, which is implied here: P-256/384/521
    // have cofactor 1, and the full check costs a scalar multiplication
    // (measured ~60% of a key parse), paid again at every sign-in.
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check_quick(check.get()) != 1)
        return fail(ErrorCode::MalformedCredential, QStringLiteral("EC2 key: the point is not a valid public key"));
    return key;
}

bool ec2AlgorithmFitsKey(std::int64_t alg, EVP_PKEY *key)
{
    const Curve *curve = curveForAlg(alg);
    return curve && curveNidOf(key) == curve->nid;
}

Check ec2Verify(EVP_PKEY *key, std::int64_t alg, QByteArrayView data, QByteArrayView signature)
{
    const Curve *curve = curveForAlg(alg);
    if (!curve || curveNidOf(key) != curve->nid)
        return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("alg %1 does not fit this EC key").arg(alg));

    // WebAuthn §6.5.5: ASN.1 DER. Re-encoding must give back the same bytes,
    // which refuses BER leniencies (long-form lengths, padded integers, trailing data).
    const auto *cursor = reinterpret_cast<const unsigned char *>(signature.data());
    EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &cursor, long(signature.size())));
    if (!parsed || cursor != reinterpret_cast<const unsigned char *>(signature.data()) + signature.size())
        return fail(ErrorCode::SignatureInvalid, QStringLiteral("ECDSA signature is not DER"));
    unsigned char *reencoded = nullptr;
    const int length = i2d_ECDSA_SIG(parsed.get(), &reencoded);
    const bool strict = length == signature.size() &&
                        QByteArrayView(reinterpret_cast<const char *>(reencoded), length) == signature;
    OPENSSL_free(reencoded);
    if (!strict)
        return fail(ErrorCode::SignatureInvalid, QStringLiteral("ECDSA signature is not strict DER"));

    return digestVerify(key, curve->md(), data, signature);
}

} // namespace daarion::webauthn::cose_family
