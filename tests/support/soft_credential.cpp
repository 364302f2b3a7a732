#include "tests/support/soft_credential.h"

#include "shared/webauthn/bytes.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <QMutex>

#include <atomic>
#include <stdexcept>

namespace daarion::testing
{

namespace
{

struct PkeyFree {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
struct BnFree {
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

[[noreturn]] void opensslFailure(const char *what)
{
    throw std::runtime_error(std::string("OpenSSL: ") + what);
}

struct EcCurve {
    const char *name;
    int coseCrv;
    int fieldBytes;
    const EVP_MD *(*digest)();
};

const EcCurve *ecCurveFor(std::int64_t alg)
{
    static const EcCurve p256{"P-256", 1, 32, EVP_sha256};
    static const EcCurve p384{"P-384", 2, 48, EVP_sha384};
    static const EcCurve p521{"P-521", 3, 66, EVP_sha512};
    switch (alg) {
    case softalg::ES256:
        return &p256;
    case softalg::ES384:
        return &p384;
    case softalg::ES512:
        return &p521;
    default:
        return nullptr;
    }
}

QByteArray bignumParam(EVP_PKEY *key, const char *name, int padTo)
{
    BIGNUM *raw = nullptr;
    if (!EVP_PKEY_get_bn_param(key, name, &raw))
        opensslFailure("EVP_PKEY_get_bn_param");
    BnPtr bn(raw);
    const int length = padTo > 0 ? padTo : BN_num_bytes(bn.get());
    QByteArray out(length, Qt::Uninitialized);
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char *>(out.data()), length) != length)
        opensslFailure("BN_bn2binpad");
    return out;
}

} // namespace

bool softAuthenticatorSupports(std::int64_t alg)
{
    return ecCurveFor(alg) || alg == softalg::EdDSA || alg == softalg::RS256;
}

QString softAlgorithmName(std::int64_t alg)
{
    switch (alg) {
    case softalg::ES256:
        return QStringLiteral("ES256");
    case softalg::ES384:
        return QStringLiteral("ES384");
    case softalg::ES512:
        return QStringLiteral("ES512");
    case softalg::EdDSA:
        return QStringLiteral("EdDSA");
    case softalg::RS256:
        return QStringLiteral("RS256");
    default:
        return QStringLiteral("alg(%1)").arg(alg);
    }
}

QByteArray randomBytes(qsizetype count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), int(count)) != 1)
        opensslFailure("RAND_bytes");
    return out;
}

std::shared_ptr<EVP_PKEY> generateSoftKey(std::int64_t alg)
{
    EVP_PKEY *key = nullptr;
    if (const EcCurve *curve = ecCurveFor(alg))
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve->name);
    else if (alg == softalg::EdDSA)
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    else if (alg == softalg::RS256)
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    else
        throw std::invalid_argument("soft authenticator: unsupported alg " + std::to_string(alg));
    if (!key)
        opensslFailure("EVP_PKEY_Q_keygen");
    return std::shared_ptr<EVP_PKEY>(key, PkeyFree());
}

QByteArray softSign(EVP_PKEY *key, std::int64_t alg, QByteArrayView data)
{
    const EVP_MD *digest = nullptr; // EdDSA signs the message itself
    if (const EcCurve *curve = ecCurveFor(alg))
        digest = curve->digest();
    else if (alg == softalg::RS256)
        digest = EVP_sha256();
    else if (alg != softalg::EdDSA)
        throw std::invalid_argument("soft authenticator: cannot sign as alg " +
                                    std::to_string(alg));

    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, key) != 1)
        opensslFailure("EVP_DigestSignInit");
    const auto *in = reinterpret_cast<const unsigned char *>(data.data());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, in, size_t(data.size())) != 1)
        opensslFailure("EVP_DigestSign (size)");
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, in,
                       size_t(data.size())) != 1)
        opensslFailure("EVP_DigestSign");
    signature.truncate(qsizetype(length)); // DER ECDSA signatures vary in length
    return signature;
}

struct SoftCredential::State {
    std::int64_t alg = 0;
    QString rpId;
    QByteArray userHandle;
    std::shared_ptr<EVP_PKEY> key;
    CborValue coseKey; // derived once from the key

    mutable QMutex mutex; // guards id and flags, which tests may change
    QByteArray id;
    bool backupEligible = false;
    bool backupState = false;
    std::atomic<quint32> signCount{0};
    std::atomic<CounterMode> counterMode{CounterMode::Increment};
};

static CborValue coseKeyFor(EVP_PKEY *key, std::int64_t alg)
{
    // Keys in CTAP2 canonical order: 1 (kty), 3 (alg), -1, -2, -3.
    if (const EcCurve *curve = ecCurveFor(alg)) {
        return CborValue::map(
            {{1, 2},
             {3, alg},
             {-1, curve->coseCrv},
             {-2, bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, curve->fieldBytes)},
             {-3, bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, curve->fieldBytes)}});
    }
    if (alg == softalg::EdDSA) {
        QByteArray x(32, Qt::Uninitialized);
        size_t length = size_t(x.size());
        if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char *>(x.data()),
                                        &length) != 1 ||
            length != 32)
            opensslFailure("EVP_PKEY_get_raw_public_key");
        return CborValue::map({{1, 1}, {3, alg}, {-1, 6}, {-2, x}});
    }
    return CborValue::map({{1, 3},
                           {3, alg},
                           {-1, bignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0)},
                           {-2, bignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0)}});
}

SoftCredential SoftCredential::generate(std::int64_t alg, const QString &rpId,
                                        const QByteArray &userHandle)
{
    SoftCredential credential;
    credential.m_state = std::make_shared<State>();
    State &state = *credential.m_state;
    state.alg = alg;
    state.rpId = rpId;
    state.userHandle = userHandle;
    state.key = generateSoftKey(alg);
    state.coseKey = coseKeyFor(state.key.get(), alg);
    const quint8 extra = quint8(randomBytes(1).at(0)) % 17; // 16..32 bytes, as real devices vary
    state.id = randomBytes(16 + extra);
    return credential;
}

std::int64_t SoftCredential::alg() const
{
    return m_state->alg;
}
const QString &SoftCredential::rpId() const
{
    return m_state->rpId;
}
const QByteArray &SoftCredential::userHandle() const
{
    return m_state->userHandle;
}
EVP_PKEY *SoftCredential::key() const
{
    return m_state->key.get();
}
CborValue SoftCredential::coseKeyValue() const
{
    return m_state->coseKey;
}

QByteArray SoftCredential::id() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->id;
}

QString SoftCredential::idBase64Url() const
{
    return QString::fromLatin1(webauthn::encodeBase64Url(id()));
}

void SoftCredential::setId(const QByteArray &id) const
{
    QMutexLocker lock(&m_state->mutex);
    m_state->id = id;
}

QByteArray SoftCredential::subjectPublicKeyInfo() const
{
    unsigned char *der = nullptr;
    const int length = i2d_PUBKEY(key(), &der);
    if (length <= 0)
        opensslFailure("i2d_PUBKEY");
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

QByteArray SoftCredential::uncompressedPoint() const
{
    if (!ecCurveFor(alg()))
        return {};
    const CborValue &cose = m_state->coseKey;
    return QByteArray(1, '\x04') + cose.find(-2)->toBytes() + cose.find(-3)->toBytes();
}

QByteArray SoftCredential::sign(QByteArrayView data) const
{
    return softSign(key(), alg(), data);
}

quint32 SoftCredential::nextSignCount() const
{
    if (m_state->counterMode.load() == CounterMode::AlwaysZero)
        return 0;
    return ++m_state->signCount;
}

quint32 SoftCredential::signCount() const
{
    return m_state->signCount.load();
}
void SoftCredential::setSignCount(quint32 count) const
{
    m_state->signCount.store(count);
}
CounterMode SoftCredential::counterMode() const
{
    return m_state->counterMode.load();
}
void SoftCredential::setCounterMode(CounterMode mode) const
{
    m_state->counterMode.store(mode);
}

bool SoftCredential::backupEligible() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->backupEligible;
}

bool SoftCredential::backupState() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->backupState;
}

void SoftCredential::setBackupFlags(bool eligible, bool state) const
{
    QMutexLocker lock(&m_state->mutex);
    m_state->backupEligible = eligible;
    m_state->backupState = state;
}

} // namespace daarion::testing
