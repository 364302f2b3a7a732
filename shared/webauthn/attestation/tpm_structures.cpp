#include "shared/webauthn/attestation/tpm_structures.h"

#include "shared/webauthn/bytes.h"

#include <openssl/core_names.h>

#include <optional>

namespace daarion::webauthn::tpm {

namespace {

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("tpm: ") + what);
}

// TPM2B_*: a 16-bit big-endian size, then that many bytes.
std::optional<QByteArray> sized(ByteReader &reader)
{
    auto size = reader.u16be();
    if (!size)
        return std::nullopt;
    auto bytes = reader.take(*size);
    if (!bytes)
        return std::nullopt;
    return bytes->toByteArray();
}

// The algorithm-dependent "details" members below are read only to step
// over them exactly; WebAuthn judges none of them.

// TPMT_SYM_DEF_OBJECT
bool skipSymmetric(ByteReader &reader)
{
    auto alg = reader.u16be();
    if (!alg)
        return false;
    switch (*alg) {
    case kAlgNull: return true;
    case 0x0006: // AES
    case 0x0013: // SM4
    case 0x0026: // CAMELLIA
        return reader.skip(2 + 2); // keyBits, mode
    case 0x000A: // XOR: hashAlg, no mode
        return reader.skip(2);
    default: return false;
    }
}

// TPMT_RSA_SCHEME
bool skipRsaScheme(ByteReader &reader)
{
    auto scheme = reader.u16be();
    if (!scheme)
        return false;
    switch (*scheme) {
    case kAlgNull:
    case 0x0015: // RSAES: no details
        return true;
    case 0x0014: // RSASSA
    case 0x0016: // RSAPSS
    case 0x0017: // OAEP
        return reader.skip(2); // hashAlg
    default: return false;
    }
}

// TPMT_ECC_SCHEME
bool skipEccScheme(ByteReader &reader)
{
    auto scheme = reader.u16be();
    if (!scheme)
        return false;
    switch (*scheme) {
    case kAlgNull: return true;
    case 0x0018: // ECDSA
    case 0x0019: // ECDH
    case 0x001B: // SM2
    case 0x001C: // ECSCHNORR
    case 0x001D: // ECMQV
        return reader.skip(2); // hashAlg
    case 0x001A:                   // ECDAA
        return reader.skip(2 + 2); // hashAlg, count
    default: return false;
    }
}

// TPMT_KDF_SCHEME
bool skipKdfScheme(ByteReader &reader)
{
    auto scheme = reader.u16be();
    if (!scheme)
        return false;
    switch (*scheme) {
    case kAlgNull: return true;
    case 0x0007: // MGF1
    case 0x0020: // KDF1_SP800_56A
    case 0x0021: // KDF2
    case 0x0022: // KDF1_SP800_108
        return reader.skip(2);
    default: return false;
    }
}

struct Curve {
    const char *groupName;
    qsizetype fieldBytes;
};

std::optional<Curve> curveFor(quint16 curve)
{
    switch (curve) {
    case kEccNistP256: return Curve{"prime256v1", 32};
    case kEccNistP384: return Curve{"secp384r1", 48};
    case kEccNistP521: return Curve{"secp521r1", 66};
    default: return std::nullopt;
    }
}

// TPM2B_ECC_PARAMETER may drop leading zero bytes; restore the field width.
std::optional<QByteArray> padCoordinate(const QByteArray &coordinate, qsizetype width)
{
    if (coordinate.isEmpty() || coordinate.size() > width)
        return std::nullopt;
    return QByteArray(width - coordinate.size(), '\0') + coordinate;
}

Result<EvpPkeyPtr> keyFromParams(const char *keyType, OSSL_PARAM_BLD *builder)
{
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder));
    EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, keyType, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return invalid(QStringLiteral("pubArea does not describe a usable public key"));
    return EvpPkeyPtr(key);
}

} // namespace

Result<CertifyInfo> parseCertifyInfo(QByteArrayView bytes)
{
    ByteReader reader(bytes);
    CertifyInfo info;
    auto magic = reader.u32be();
    auto type = reader.u16be();
    if (!magic || !type)
        return invalid(QStringLiteral("certInfo is truncated"));
    info.magic = *magic;
    info.type = *type;
    if (info.magic != kGeneratedValue)
        return invalid(QStringLiteral("certInfo.magic is not TPM_GENERATED_VALUE"));
    if (info.type != kStAttestCertify)
        return invalid(QStringLiteral("certInfo.type is not TPM_ST_ATTEST_CERTIFY"));
    auto qualifiedSigner = sized(reader);
    auto extraData = sized(reader);
    auto clock = reader.u64be();
    auto resetCount = reader.u32be();
    auto restartCount = reader.u32be();
    auto safe = reader.u8();
    auto firmwareVersion = reader.u64be();
    auto name = sized(reader);
    auto qualifiedName = sized(reader);
    if (!qualifiedSigner || !extraData || !clock || !resetCount || !restartCount || !safe ||
        !firmwareVersion || !name || !qualifiedName)
        return invalid(QStringLiteral("certInfo is truncated"));
    if (!reader.atEnd())
        return invalid(QStringLiteral("%1 bytes follow certInfo").arg(reader.remaining()));
    info.qualifiedSigner = *qualifiedSigner;
    info.extraData = *extraData;
    info.clock = *clock;
    info.resetCount = *resetCount;
    info.restartCount = *restartCount;
    info.safe = *safe;
    info.firmwareVersion = *firmwareVersion;
    info.attestedName = *name;
    info.attestedQualifiedName = *qualifiedName;
    return info;
}

Result<PublicArea> parsePublicArea(QByteArrayView bytes)
{
    ByteReader reader(bytes);
    PublicArea area;
    auto type = reader.u16be();
    auto nameAlg = reader.u16be();
    auto attributes = reader.u32be();
    auto authPolicy = sized(reader);
    if (!type || !nameAlg || !attributes || !authPolicy)
        return invalid(QStringLiteral("pubArea is truncated"));
    area.type = *type;
    area.nameAlg = *nameAlg;
    area.objectAttributes = *attributes;
    area.authPolicy = *authPolicy;

    if (area.type == kAlgRsa) {
        // TPMS_RSA_PARMS, then TPM2B_PUBLIC_KEY_RSA.
        if (!skipSymmetric(reader) || !skipRsaScheme(reader))
            return invalid(QStringLiteral("pubArea has unreadable RSA parameters"));
        auto keyBits = reader.u16be();
        auto exponent = reader.u32be();
        auto modulus = sized(reader);
        if (!keyBits || !exponent || !modulus)
            return invalid(QStringLiteral("pubArea is truncated"));
        area.rsaKeyBits = *keyBits;
        area.rsaExponent = *exponent;
        area.rsaModulus = *modulus;
    } else if (area.type == kAlgEcc) {
        // TPMS_ECC_PARMS, then TPMS_ECC_POINT.
        if (!skipSymmetric(reader) || !skipEccScheme(reader))
            return invalid(QStringLiteral("pubArea has unreadable ECC parameters"));
        auto curve = reader.u16be();
        if (!curve || !skipKdfScheme(reader))
            return invalid(QStringLiteral("pubArea has unreadable ECC parameters"));
        auto x = sized(reader);
        auto y = sized(reader);
        if (!x || !y)
            return invalid(QStringLiteral("pubArea is truncated"));
        area.eccCurve = *curve;
        area.eccX = *x;
        area.eccY = *y;
    } else {
        return invalid(QStringLiteral("pubArea.type 0x%1 is neither RSA nor ECC")
                           .arg(area.type, 4, 16, QLatin1Char('0')));
    }
    if (!reader.atEnd())
        return invalid(QStringLiteral("%1 bytes follow pubArea").arg(reader.remaining()));
    return area;
}

const EVP_MD *digestForAlg(quint16 tpmAlg)
{
    switch (tpmAlg) {
    case kAlgSha1: return EVP_sha1();
    case kAlgSha256: return EVP_sha256();
    case kAlgSha384: return EVP_sha384();
    case kAlgSha512: return EVP_sha512();
    default: return nullptr;
    }
}

Result<EvpPkeyPtr> publicAreaKey(const PublicArea &area)
{
    OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder)
        return invalid(QStringLiteral("out of memory"));
    if (area.type == kAlgRsa) {
        if (area.rsaModulus.isEmpty() || area.rsaModulus.size() * 8 != area.rsaKeyBits)
            return invalid(QStringLiteral("pubArea's RSA modulus does not have keyBits bits"));
        BignumPtr n(BN_bin2bn(reinterpret_cast<const unsigned char *>(area.rsaModulus.constData()),
                              int(area.rsaModulus.size()), nullptr));
        BignumPtr e(BN_new());
        if (!n || !e || BN_set_word(e.get(), area.rsaExponent ? area.rsaExponent : 65537) != 1 ||
            OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
            OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
            return invalid(QStringLiteral("pubArea's RSA key cannot be built"));
        return keyFromParams("RSA", builder.get());
    }
    auto curve = curveFor(area.eccCurve);
    if (!curve)
        return invalid(QStringLiteral("pubArea's curve 0x%1 is not P-256, P-384 or P-521")
                           .arg(area.eccCurve, 4, 16, QLatin1Char('0')));
    auto x = padCoordinate(area.eccX, curve->fieldBytes);
    auto y = padCoordinate(area.eccY, curve->fieldBytes);
    if (!x || !y)
        return invalid(QStringLiteral("pubArea's ECC point does not fit its curve"));
    const QByteArray point = QByteArray(1, '\x04') + *x + *y;
    if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                        curve->groupName, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                         point.constData(), size_t(point.size())) != 1)
        return invalid(QStringLiteral("pubArea's ECC key cannot be built"));
    return keyFromParams("EC", builder.get());
}

} // namespace daarion::webauthn::tpm
