// COSE keys against real OpenSSL keys and signatures: every supported
// kty/crv/alg combination verifies, and every mismatch or malformed key is
// refused with the code cose_key.h promises.
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/openssl_handles.h"

#include <QTest>

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <utility>
#include <vector>

using namespace daarion::webauthn;

namespace {

// A minimal CBOR writer, independent of the decoder under test.
QByteArray header(int major, quint64 value)
{
    QByteArray out;
    const char m = char(major << 5);
    if (value < 24) {
        out.append(char(m | char(value)));
    } else if (value <= 0xff) {
        out.append(char(m | 24));
        out.append(char(value));
    } else if (value <= 0xffff) {
        out.append(char(m | 25));
        for (int shift = 8; shift >= 0; shift -= 8)
            out.append(char(value >> shift));
    } else {
        out.append(char(m | 26));
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char(value >> shift));
    }
    return out;
}
QByteArray cborInt(qint64 value) { return value >= 0 ? header(0, quint64(value)) : header(1, quint64(-1 - value)); }
QByteArray cborByteString(const QByteArray &bytes) { return header(2, quint64(bytes.size())) + bytes; }

using Entry = std::pair<qint64, QByteArray>; // label, encoded value
QByteArray coseMap(const std::vector<Entry> &entries)
{
    QByteArray out = header(5, entries.size());
    for (const auto &[label, value] : entries)
        out += cborInt(label) + value;
    return out;
}

EvpPkeyPtr generate(const char *type, const char *curve = nullptr, size_t bits = 0)
{
    if (bits)
        return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, type, bits));
    if (curve)
        return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, type, curve));
    return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, type));
}

QByteArray octetParam(EVP_PKEY *key, const char *name)
{
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(key, name, nullptr, 0, &length);
    QByteArray out(qsizetype(length), '\0');
    EVP_PKEY_get_octet_string_param(key, name, reinterpret_cast<unsigned char *>(out.data()), length, &length);
    return out;
}

QByteArray bnParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    EVP_PKEY_get_bn_param(key, name, &raw);
    BignumPtr bn(raw);
    QByteArray out(BN_num_bytes(bn.get()), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

// The COSE_Key of an EC key: {1: 2, 3: alg, -1: crv, -2: x, -3: y}.
QByteArray ec2Cose(EVP_PKEY *key, qint64 alg, int crv)
{
    const QByteArray point = octetParam(key, OSSL_PKEY_PARAM_PUB_KEY); // 04 || x || y
    const qsizetype half = (point.size() - 1) / 2;
    return coseMap({{1, cborInt(cose::KtyEc2)}, {3, cborInt(alg)}, {-1, cborInt(crv)},
                    {-2, cborByteString(point.mid(1, half))}, {-3, cborByteString(point.mid(1 + half))}});
}

QByteArray okpCose(EVP_PKEY *key, qint64 alg, int crv)
{
    size_t length = 0;
    EVP_PKEY_get_raw_public_key(key, nullptr, &length);
    QByteArray x(qsizetype(length), '\0');
    EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char *>(x.data()), &length);
    return coseMap({{1, cborInt(cose::KtyOkp)}, {3, cborInt(alg)}, {-1, cborInt(crv)}, {-2, cborByteString(x)}});
}

QByteArray rsaCose(EVP_PKEY *key, qint64 alg)
{
    return coseMap({{1, cborInt(cose::KtyRsa)}, {3, cborInt(alg)},
                    {-1, cborByteString(bnParam(key, OSSL_PKEY_PARAM_RSA_N))},
                    {-2, cborByteString(bnParam(key, OSSL_PKEY_PARAM_RSA_E))}});
}

enum class Pad { None, Pkcs1, Pss };

QByteArray sign(EVP_PKEY *key, const EVP_MD *md, const QByteArray &data, Pad pad = Pad::None)
{
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *keyContext = nullptr;
    if (EVP_DigestSignInit(context.get(), &keyContext, md, nullptr, key) != 1)
        return {};
    if (pad == Pad::Pss) {
        EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST);
        EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, md);
    }
    size_t length = 0;
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    EVP_DigestSign(context.get(), nullptr, &length, in, size_t(data.size()));
    QByteArray out(qsizetype(length), '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(out.data()), &length, in,
                       size_t(data.size())) != 1)
        return {};
    out.resize(qsizetype(length));
    return out;
}

QByteArray flipped(QByteArray bytes, qsizetype index)
{
    bytes[index] = char(bytes[index] ^ 0x01);
    return bytes;
}

const QByteArray kData = QByteArrayLiteral("authenticatorData || SHA-256(clientDataJSON)");

#define EXPECT_CODE(result, expected)                                                              \
    do {                                                                                           \
        const auto &r_ = (result);                                                                 \
        QVERIFY2(!r_, "expected a rejection");                                                     \
        QCOMPARE(r_.error().code, expected);                                                       \
    } while (false)

#define EXPECT_OK(result)                                                                          \
    do {                                                                                           \
        const auto &r_ = (result);                                                                 \
        QVERIFY2(r_, r_ ? "" : qPrintable(r_.error().message));                                    \
    } while (false)

} // namespace

class TestCoseKey : public QObject
{
    Q_OBJECT

private slots:
    void ecdsa_data()
    {
        QTest::addColumn<QByteArray>("curve");
        QTest::addColumn<int>("crv");
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<QByteArray>("digest");
        QTest::newRow("ES256 P-256") << QByteArray("P-256") << cose::CrvP256 << qint64(cose::ES256) << QByteArray("SHA256");
        QTest::newRow("ES384 P-384") << QByteArray("P-384") << cose::CrvP384 << qint64(cose::ES384) << QByteArray("SHA384");
        QTest::newRow("ES512 P-521") << QByteArray("P-521") << cose::CrvP521 << qint64(cose::ES512) << QByteArray("SHA512");
    }
    void ecdsa()
    {
        QFETCH(QByteArray, curve);
        QFETCH(int, crv);
        QFETCH(qint64, alg);
        QFETCH(QByteArray, digest);
        EvpPkeyPtr signer = generate("EC", curve.constData());
        QVERIFY(signer);
        const QByteArray encoded = ec2Cose(signer.get(), alg, crv);
        auto key = parseCoseKey(encoded);
        EXPECT_OK(key);
        QCOMPARE(key->alg, alg);
        QCOMPARE(key->kty, cose::KtyEc2);
        QCOMPARE(key->crv, crv);
        QCOMPARE(key->encoded, encoded);
        QVERIFY(algorithmFitsKey(alg, key->pkey.get()));

        const QByteArray signature = sign(signer.get(), EVP_get_digestbyname(digest.constData()), kData);
        QVERIFY(!signature.isEmpty());
        EXPECT_OK(verifySignature(key->pkey.get(), alg, kData, signature));
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData + 'x', signature), ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, flipped(signature, signature.size() - 1)),
                    ErrorCode::SignatureInvalid);
        // The same signature with trailing garbage, or a long-form DER length, is not strict DER.
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, signature + '\0'), ErrorCode::SignatureInvalid);
        if (quint8(signature[1]) < 0x80) {
            QByteArray longForm = signature;
            longForm.insert(1, '\x81');
            EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, longForm), ErrorCode::SignatureInvalid);
        }
        // Raw r||s (IEEE P1363) is not what WebAuthn sends.
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, QByteArray(64, '\x01')),
                    ErrorCode::SignatureInvalid);
    }

    void ecCurveMustFitAlg()
    {
        EvpPkeyPtr p256 = generate("EC", "P-256");
        // A P-256 key claiming ES384, and the curve label lying about the key.
        EXPECT_CODE(parseCoseKey(ec2Cose(p256.get(), cose::ES384, cose::CrvP256)), ErrorCode::UnsupportedAlgorithm);
        EXPECT_CODE(parseCoseKey(ec2Cose(p256.get(), cose::ES256, cose::CrvP384)), ErrorCode::UnsupportedAlgorithm);
        EXPECT_CODE(parseCoseKey(ec2Cose(p256.get(), cose::EdDSA, cose::CrvP256)), ErrorCode::UnsupportedAlgorithm);
        EXPECT_CODE(parseCoseKey(ec2Cose(p256.get(), -999, cose::CrvP256)), ErrorCode::UnsupportedAlgorithm);
        // secp256k1 (crv 8) is not accepted.
        EXPECT_CODE(parseCoseKey(ec2Cose(p256.get(), -47, 8)), ErrorCode::UnsupportedAlgorithm);

        auto key = parseCoseKey(ec2Cose(p256.get(), cose::ES256, cose::CrvP256));
        EXPECT_OK(key);
        QVERIFY(!algorithmFitsKey(cose::ES384, key->pkey.get()));
        QVERIFY(!algorithmFitsKey(cose::EdDSA, key->pkey.get()));
        QVERIFY(!algorithmFitsKey(cose::RS256, key->pkey.get()));
        const QByteArray signature = sign(p256.get(), EVP_sha384(), kData);
        EXPECT_CODE(verifySignature(key->pkey.get(), cose::ES384, kData, signature), ErrorCode::UnsupportedAlgorithm);
        EXPECT_CODE(verifySignature(key->pkey.get(), cose::RS256, kData, signature), ErrorCode::UnsupportedAlgorithm);
    }

    void ecPointMustBeOnTheCurve()
    {
        EvpPkeyPtr p256 = generate("EC", "P-256");
        const QByteArray point = octetParam(p256.get(), OSSL_PKEY_PARAM_PUB_KEY);
        const QByteArray x = point.mid(1, 32), y = point.mid(33);
        auto withY = [&](const QByteArray &yValue) {
            return coseMap({{1, cborInt(2)}, {3, cborInt(-7)}, {-1, cborInt(1)},
                            {-2, cborByteString(x)}, {-3, yValue}});
        };
        EXPECT_OK(parseCoseKey(withY(cborByteString(y))));
        EXPECT_CODE(parseCoseKey(withY(cborByteString(flipped(y, 31)))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(withY(cborByteString(QByteArray(32, '\0')))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(withY(cborByteString(y.left(31)))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(withY(cborByteString('\0' + y))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(withY(QByteArray("\xf5", 1))), ErrorCode::MalformedCredential); // compressed: y = true
        EXPECT_CODE(parseCoseKey(withY(cborInt(1))), ErrorCode::MalformedCredential);
    }

    void malformedKeyMaps()
    {
        EvpPkeyPtr p256 = generate("EC", "P-256");
        const QByteArray good = ec2Cose(p256.get(), cose::ES256, cose::CrvP256);
        EXPECT_CODE(parseCoseKey(good + '\0'), ErrorCode::MalformedCredential);          // trailing byte
        EXPECT_CODE(parseCoseKey(good.left(good.size() - 1)), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(QByteArray("\x82\x01\x02", 3)), ErrorCode::MalformedCredential); // an array
        EXPECT_CODE(parseCoseKey(coseMap({{3, cborInt(-7)}, {-1, cborInt(1)}})), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(2)}, {-1, cborInt(1)}})), ErrorCode::MalformedCredential);
        // kty 4 (symmetric) and an unknown kty fail closed.
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(4)}, {3, cborInt(5)}, {-1, cborByteString("k")}})),
                    ErrorCode::UnsupportedAlgorithm);
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(99)}, {3, cborInt(-7)}})), ErrorCode::UnsupportedAlgorithm);

        // A private scalar (label -4) has no business in a credential public key.
        const QByteArray point = octetParam(p256.get(), OSSL_PKEY_PARAM_PUB_KEY);
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(2)}, {3, cborInt(-7)}, {-1, cborInt(1)},
                                          {-2, cborByteString(point.mid(1, 32))},
                                          {-3, cborByteString(point.mid(33))},
                                          {-4, cborByteString(QByteArray(32, '\x01'))}})),
                    ErrorCode::MalformedCredential);
        // A duplicate label is refused by the CBOR layer.
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(2)}, {1, cborInt(2)}, {3, cborInt(-7)}})),
                    ErrorCode::MalformedCredential);
    }

    void eddsa_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("crv");
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<qint64>("otherCurvesAlg");
        QTest::newRow("Ed25519 EdDSA") << QByteArray("ED25519") << cose::CrvEd25519 << qint64(cose::EdDSA) << qint64(cose::Ed448);
        QTest::newRow("Ed25519 -19") << QByteArray("ED25519") << cose::CrvEd25519 << qint64(cose::Ed25519) << qint64(cose::Ed448);
        QTest::newRow("Ed448 EdDSA") << QByteArray("ED448") << cose::CrvEd448 << qint64(cose::EdDSA) << qint64(cose::Ed25519);
        QTest::newRow("Ed448 -53") << QByteArray("ED448") << cose::CrvEd448 << qint64(cose::Ed448) << qint64(cose::Ed25519);
    }
    void eddsa()
    {
        QFETCH(QByteArray, type);
        QFETCH(int, crv);
        QFETCH(qint64, alg);
        QFETCH(qint64, otherCurvesAlg);
        EvpPkeyPtr signer = generate(type.constData());
        QVERIFY(signer);
        auto key = parseCoseKey(okpCose(signer.get(), alg, crv));
        EXPECT_OK(key);
        QCOMPARE(key->kty, cose::KtyOkp);
        QCOMPARE(key->crv, crv);
        const QByteArray signature = sign(signer.get(), nullptr, kData);
        EXPECT_OK(verifySignature(key->pkey.get(), alg, kData, signature));
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, flipped(signature, 3)), ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, signature.left(signature.size() - 1)),
                    ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), otherCurvesAlg, kData, signature), ErrorCode::UnsupportedAlgorithm);
        QVERIFY(algorithmFitsKey(cose::EdDSA, key->pkey.get()));
        QVERIFY(!algorithmFitsKey(otherCurvesAlg, key->pkey.get()));
        QVERIFY(!algorithmFitsKey(cose::ES256, key->pkey.get()));
        // The fully specified alg of the other curve does not fit this key.
        EXPECT_CODE(parseCoseKey(okpCose(signer.get(), otherCurvesAlg, crv)), ErrorCode::UnsupportedAlgorithm);
        // Nor does an OKP curve under kty EC2, or an EC alg.
        EXPECT_CODE(parseCoseKey(okpCose(signer.get(), cose::ES256, crv)), ErrorCode::UnsupportedAlgorithm);
    }

    void okpKeyLengthChecked()
    {
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(1)}, {3, cborInt(-8)}, {-1, cborInt(6)},
                                          {-2, cborByteString(QByteArray(31, '\x01'))}})),
                    ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(coseMap({{1, cborInt(1)}, {3, cborInt(-8)}, {-1, cborInt(4)},
                                          {-2, cborByteString(QByteArray(32, '\x01'))}})),
                    ErrorCode::UnsupportedAlgorithm); // X25519 is not a signature curve
    }

    void rsa_data()
    {
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<QByteArray>("digest");
        QTest::addColumn<bool>("pss");
        QTest::newRow("RS256") << qint64(cose::RS256) << QByteArray("SHA256") << false;
        QTest::newRow("RS384") << qint64(cose::RS384) << QByteArray("SHA384") << false;
        QTest::newRow("RS512") << qint64(cose::RS512) << QByteArray("SHA512") << false;
        QTest::newRow("PS256") << qint64(cose::PS256) << QByteArray("SHA256") << true;
        QTest::newRow("PS384") << qint64(cose::PS384) << QByteArray("SHA384") << true;
        QTest::newRow("PS512") << qint64(cose::PS512) << QByteArray("SHA512") << true;
    }
    void rsa()
    {
        QFETCH(qint64, alg);
        QFETCH(QByteArray, digest);
        QFETCH(bool, pss);
        auto key = parseCoseKey(rsaCose(rsa2048(), alg));
        EXPECT_OK(key);
        QCOMPARE(key->kty, cose::KtyRsa);
        const EVP_MD *md = EVP_get_digestbyname(digest.constData());
        const QByteArray signature = sign(rsa2048(), md, kData, pss ? Pad::Pss : Pad::Pkcs1);
        EXPECT_OK(verifySignature(key->pkey.get(), alg, kData, signature));
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, flipped(signature, 100)), ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData + '!', signature), ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), alg, kData, signature.left(255)), ErrorCode::SignatureInvalid);
        // The other padding with the same hash does not verify.
        const qint64 otherPadding = pss ? (alg == cose::PS256 ? cose::RS256 : alg == cose::PS384 ? cose::RS384 : cose::RS512)
                                        : (alg == cose::RS256 ? cose::PS256 : alg == cose::RS384 ? cose::PS384 : cose::PS512);
        EXPECT_CODE(verifySignature(key->pkey.get(), otherPadding, kData, signature), ErrorCode::SignatureInvalid);
        EXPECT_CODE(verifySignature(key->pkey.get(), cose::ES256, kData, signature), ErrorCode::UnsupportedAlgorithm);
        QVERIFY(algorithmFitsKey(alg, key->pkey.get()));
        QVERIFY(!algorithmFitsKey(cose::EdDSA, key->pkey.get()));
    }

    void rs1OnlyWhenAllowed()
    {
        const QByteArray encoded = rsaCose(rsa2048(), cose::RS1);
        EXPECT_CODE(parseCoseKey(encoded), ErrorCode::UnsupportedAlgorithm);
        auto key = parseCoseKey(encoded, AllowRs1::Yes);
        EXPECT_OK(key);
        const QByteArray signature = sign(rsa2048(), EVP_sha1(), kData, Pad::Pkcs1);
        EXPECT_OK(verifySignature(key->pkey.get(), cose::RS1, kData, signature));
    }

    void rsaKeyBounds()
    {
        EvpPkeyPtr small = generate("RSA", nullptr, 1024);
        EXPECT_CODE(parseCoseKey(rsaCose(small.get(), cose::RS256)), ErrorCode::UnsupportedAlgorithm);
        // An RSA alg on an EC2 key and an EC alg on an RSA key.
        EXPECT_CODE(parseCoseKey(rsaCose(rsa2048(), cose::ES256)), ErrorCode::UnsupportedAlgorithm);
        // Even modulus, even exponent, oversized exponent, oversized modulus.
        const QByteArray n = bnParam(rsa2048(), OSSL_PKEY_PARAM_RSA_N);
        auto rsaWith = [](const QByteArray &modulus, const QByteArray &exponent) {
            return coseMap({{1, cborInt(3)}, {3, cborInt(cose::RS256)}, {-1, cborByteString(modulus)},
                            {-2, cborByteString(exponent)}});
        };
        EXPECT_OK(parseCoseKey(rsaWith(n, QByteArray("\x01\x00\x01", 3))));
        EXPECT_CODE(parseCoseKey(rsaWith(flipped(n, n.size() - 1), QByteArray("\x01\x00\x01", 3))),
                    ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(rsaWith(n, QByteArray("\x01\x00\x02", 3))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(rsaWith(n, QByteArray("\x01", 1))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(rsaWith(n, QByteArray(5, '\x01'))), ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(rsaWith(QByteArray(1025, '\xff'), QByteArray("\x01\x00\x01", 3))),
                    ErrorCode::MalformedCredential);
        EXPECT_CODE(parseCoseKey(rsaWith(n, QByteArray())), ErrorCode::MalformedCredential);
    }

    void verifyWithoutKey()
    {
        EXPECT_CODE(verifySignature(nullptr, cose::ES256, kData, "x"), ErrorCode::UnsupportedAlgorithm);
        QVERIFY(!algorithmFitsKey(cose::ES256, nullptr));
    }

private:
    EVP_PKEY *rsa2048()
    {
        if (!m_rsa)
            m_rsa = generate("RSA", nullptr, 2048);
        return m_rsa.get();
    }
    EvpPkeyPtr m_rsa;
};

QTEST_APPLESS_MAIN(TestCoseKey)
#include "tst_cose_key.moc"
