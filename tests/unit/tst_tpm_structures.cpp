// TPMS_ATTEST (certInfo) and TPMT_PUBLIC (pubArea) parsing for the "tpm"
// attestation format: the W3C vector's structures, an RSA key, and every
// truncation refused without reading past the end.
#include "shared/webauthn/attestation/tpm_structures.h"

#include "shared/webauthn/bytes.h"

#include <QTest>

#include <openssl/core_names.h>

using namespace daarion::webauthn;

namespace {

// From tests/data/vectors/w3c/tpm-es256.json (attStmt.pubArea, attStmt.certInfo).
const QByteArray kVectorPubArea = QByteArray::fromHex(
    "0023000b0004000000000010001000030010002041202698c9d9753fb4bb3f27cd09fe6b8afdb76438ee2ae54d7c9d"
    "ade10d864b0020d8735115cdb330a63ea1d6e43d5000f4bd56f99bce83ee1d73301fc270116d07");
const QByteArray kVectorCertInfo = QByteArray::fromHex(
    "ff544347801700000020277d0e05579dd013215a62273f7f3a3e7e191ead2654a3036d75a5a3ee37a6b00000000000"
    "00000011111111222222223300000000000000000022000b9c42d8aad5939331b9af3711af179f17123178098c9a7d"
    "0ca89fcd1fc800f3c70000");

QByteArray u16(quint16 value)
{
    QByteArray bytes;
    bytes.append(char(value >> 8));
    bytes.append(char(value & 0xff));
    return bytes;
}

QByteArray bigEndian(const BIGNUM *number, int width)
{
    QByteArray bytes(width, '\0');
    BN_bn2binpad(number, reinterpret_cast<unsigned char *>(bytes.data()), width);
    return bytes;
}

} // namespace

class TestTpmStructures : public QObject
{
    Q_OBJECT

private slots:
    void parsesTheVectorsPubArea()
    {
        auto area = tpm::parsePublicArea(kVectorPubArea);
        QVERIFY2(area, area ? "" : qPrintable(area.error().message));
        QCOMPARE(area->type, tpm::kAlgEcc);
        QCOMPARE(area->nameAlg, tpm::kAlgSha256);
        QCOMPARE(area->eccCurve, tpm::kEccNistP256);
        QCOMPARE(area->eccX.size(), 32);
        QCOMPARE(area->eccY.size(), 32);
        auto key = tpm::publicAreaKey(*area);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QCOMPARE(EVP_PKEY_get_base_id(key->get()), EVP_PKEY_EC);
    }

    void parsesTheVectorsCertInfo()
    {
        auto info = tpm::parseCertifyInfo(kVectorCertInfo);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message));
        QCOMPARE(info->magic, tpm::kGeneratedValue);
        QCOMPARE(info->type, tpm::kStAttestCertify);
        QVERIFY(info->qualifiedSigner.isEmpty());
        QCOMPARE(info->extraData.size(), 32);
        QCOMPARE(info->resetCount, 0x11111111u);
        QCOMPARE(info->restartCount, 0x22222222u);
        QCOMPARE(info->safe, quint8(0x33));
        // The attested name is nameAlg || SHA-256(pubArea).
        QCOMPARE(info->attestedName, u16(tpm::kAlgSha256) + sha256(kVectorPubArea));
        QVERIFY(info->attestedQualifiedName.isEmpty());
    }

    void buildsTheSameRsaKeyItDescribes()
    {
        EvpPkeyPtr rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)));
        QVERIFY(rsa);
        BIGNUM *n = nullptr;
        QVERIFY(EVP_PKEY_get_bn_param(rsa.get(), OSSL_PKEY_PARAM_RSA_N, &n));
        BignumPtr modulus(n);
        // RSASSA-SHA256 scheme, AES-128-CFB symmetric (read and stepped over), exponent 0 = 65537.
        const QByteArray pubArea = u16(tpm::kAlgRsa) + u16(tpm::kAlgSha256) +
                                   QByteArray::fromHex("00060472") + u16(0) + u16(0x0006) + u16(128) +
                                   u16(0x0043) + u16(0x0014) + u16(tpm::kAlgSha256) + u16(2048) +
                                   QByteArray(4, '\0') + u16(256) + bigEndian(modulus.get(), 256);
        auto area = tpm::parsePublicArea(pubArea);
        QVERIFY2(area, area ? "" : qPrintable(area.error().message));
        QCOMPARE(area->rsaKeyBits, quint16(2048));
        QCOMPARE(area->rsaExponent, 0u);
        auto key = tpm::publicAreaKey(*area);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QCOMPARE(EVP_PKEY_eq(key->get(), rsa.get()), 1);

        // keyBits that disagree with the modulus.
        QByteArray lying = pubArea;
        lying.replace(lying.size() - 256 - 2 - 4 - 2, 2, u16(4096));
        auto lyingArea = tpm::parsePublicArea(lying);
        QVERIFY(lyingArea);
        QVERIFY(!tpm::publicAreaKey(*lyingArea));
    }

    void refusesEveryTruncationAndTrailingBytes()
    {
        for (qsizetype length = 0; length < kVectorPubArea.size(); ++length) {
            auto area = tpm::parsePublicArea(kVectorPubArea.first(length));
            QVERIFY2(!area, qPrintable(QString::number(length)));
            QCOMPARE(area.error().code, ErrorCode::AttestationInvalid);
        }
        for (qsizetype length = 0; length < kVectorCertInfo.size(); ++length) {
            auto info = tpm::parseCertifyInfo(kVectorCertInfo.first(length));
            QVERIFY2(!info, qPrintable(QString::number(length)));
            QCOMPARE(info.error().code, ErrorCode::AttestationInvalid);
        }
        QVERIFY(!tpm::parsePublicArea(kVectorPubArea + '\0'));
        QVERIFY(!tpm::parseCertifyInfo(kVectorCertInfo + '\0'));
    }

    void refusesSizesLargerThanTheData()
    {
        // authPolicy declaring 0xffff bytes.
        QByteArray pubArea = kVectorPubArea;
        pubArea.replace(8, 2, u16(0xffff));
        QVERIFY(!tpm::parsePublicArea(pubArea));
        // extraData declaring 0xffff bytes.
        QByteArray certInfo = kVectorCertInfo;
        certInfo.replace(8, 2, u16(0xffff));
        QVERIFY(!tpm::parseCertifyInfo(certInfo));
    }

    void refusesUnknownAlgorithmsAndCurves()
    {
        QByteArray unknownSymmetric = kVectorPubArea;
        unknownSymmetric.replace(10, 2, u16(0x0099));
        QVERIFY(!tpm::parsePublicArea(unknownSymmetric));
        QByteArray unknownScheme = kVectorPubArea;
        unknownScheme.replace(12, 2, u16(0x0099));
        QVERIFY(!tpm::parsePublicArea(unknownScheme));

        QByteArray bnCurve = kVectorPubArea; // TPM_ECC_BN_P256: parses, but is no key we accept
        bnCurve.replace(14, 2, u16(0x0010));
        auto area = tpm::parsePublicArea(bnCurve);
        QVERIFY(area);
        QVERIFY(!tpm::publicAreaKey(*area));

        QVERIFY(!tpm::digestForAlg(0x0012)); // SM3_256
        QVERIFY(tpm::digestForAlg(tpm::kAlgSha1));
    }

    void refusesPointsOffTheCurveOrTooWide()
    {
        auto area = tpm::parsePublicArea(kVectorPubArea);
        QVERIFY(area);
        tpm::PublicArea wide = *area;
        wide.eccX.prepend('\x01');
        QVERIFY(!tpm::publicAreaKey(wide));
        tpm::PublicArea offCurve = *area;
        offCurve.eccY[31] = char(offCurve.eccY.at(31) ^ 0x01);
        QVERIFY(!tpm::publicAreaKey(offCurve));
    }
};

QTEST_GUILESS_MAIN(TestTpmStructures)
#include "tst_tpm_structures.moc"
