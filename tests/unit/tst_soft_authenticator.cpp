// The software authenticator checked on its own, without the verifier: its
// CBOR is what libcbor decodes, its signatures verify with plain OpenSSL, its
// certificates chain to its CA. If the verifier and the soft authenticator
// disagree, these tests say which side to look at.

#include "shared/webauthn/bytes.h"
#include "tests/support/cbor_writer.h"
#include "tests/support/soft_authenticator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cbor.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace daarion::testing;
using namespace Qt::StringLiterals;
using daarion::webauthn::decodeBase64Url;
using daarion::webauthn::encodeBase64Url;
using daarion::webauthn::sha256;

namespace
{

const QString kOrigin = QStringLiteral("https://app.daarion.test");
const QString kRpId = QStringLiteral("daarion.test");

QJsonObject creationOptions(const QByteArray &challenge, QList<std::int64_t> algs = {-8, -7, -257})
{
    QJsonArray params;
    for (std::int64_t alg : algs)
        params.append(QJsonObject{{u"type"_s, u"public-key"_s}, {u"alg"_s, qint64(alg)}});
    return QJsonObject{
        {u"challenge"_s, QString::fromLatin1(encodeBase64Url(challenge))},
        {u"rp"_s, QJsonObject{{u"id"_s, kRpId}, {u"name"_s, u"DAARION"_s}}},
        {u"user"_s, QJsonObject{{u"id"_s, u"dXNlci0x"_s},
                                {u"name"_s, u"alice"_s},
                                {u"displayName"_s, u"Alice"_s}}},
        {u"pubKeyCredParams"_s, params},
        {u"authenticatorSelection"_s, QJsonObject{{u"userVerification"_s, u"preferred"_s}}},
        {u"extensions"_s, QJsonObject{{u"credProps"_s, true}}}};
}

QJsonObject requestOptions(const QByteArray &challenge, const QList<QByteArray> &allow = {})
{
    QJsonArray allowCredentials;
    for (const QByteArray &id : allow)
        allowCredentials.append(QJsonObject{{u"type"_s, u"public-key"_s},
                                            {u"id"_s, QString::fromLatin1(encodeBase64Url(id))}});
    return QJsonObject{{u"challenge"_s, QString::fromLatin1(encodeBase64Url(challenge))},
                       {u"rpId"_s, kRpId},
                       {u"allowCredentials"_s, allowCredentials},
                       {u"userVerification"_s, u"preferred"_s}};
}

struct CborFree {
    void operator()(cbor_item_t *item) const { cbor_decref(&item); }
};
using Cbor = std::unique_ptr<cbor_item_t, CborFree>;

Cbor load(const QByteArray &bytes, size_t *read = nullptr)
{
    cbor_load_result result{};
    Cbor item(
        cbor_load(reinterpret_cast<cbor_data>(bytes.constData()), size_t(bytes.size()), &result));
    if (read)
        *read = result.read;
    return item;
}

cbor_item_t *mapValue(cbor_item_t *map, const char *textKey)
{
    cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i) {
        cbor_item_t *key = pairs[i].key;
        if (cbor_isa_string(key) && cbor_string_length(key) == strlen(textKey) &&
            memcmp(cbor_string_handle(key), textKey, strlen(textKey)) == 0)
            return pairs[i].value;
    }
    return nullptr;
}

QByteArray bytesOf(cbor_item_t *item)
{
    return QByteArray(reinterpret_cast<const char *>(cbor_bytestring_handle(item)),
                      qsizetype(cbor_bytestring_length(item)));
}

bool opensslVerify(EVP_PKEY *key, std::int64_t alg, const QByteArray &data,
                   const QByteArray &signature)
{
    const EVP_MD *md = alg == softalg::EdDSA   ? nullptr
                       : alg == softalg::ES384 ? EVP_sha384()
                       : alg == softalg::ES512 ? EVP_sha512()
                                               : EVP_sha256();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
           EVP_DigestVerify(
               ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.constData()),
               size_t(data.size())) == 1;
}

std::unique_ptr<X509, decltype(&X509_free)> certificate(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    return {d2i_X509(nullptr, &p, der.size()), X509_free};
}

std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> spki(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    return {d2i_PUBKEY(nullptr, &p, der.size()), EVP_PKEY_free};
}

QByteArray jsonBytes(const QJsonObject &object, const char *member)
{
    return decodeBase64Url(object.value(QLatin1String(member)).toString().toLatin1())
        .value_or(QByteArray("<bad>"));
}

} // namespace

class TestSoftAuthenticator : public QObject
{
    Q_OBJECT

private slots:
    void cborWriterEncodesShortestForms()
    {
        QCOMPARE(CborValue::map({{1, 2}, {3, -7}}).encode(), QByteArray::fromHex("a201020326"));
        QCOMPARE(CborValue(23).encode(), QByteArray::fromHex("17"));
        QCOMPARE(CborValue(24).encode(), QByteArray::fromHex("1818"));
        QCOMPARE(CborValue(-25).encode(), QByteArray::fromHex("3818"));
        QCOMPARE(CborValue(256).encode(), QByteArray::fromHex("190100"));
        QCOMPARE(CborValue(std::int64_t(-257)).encode(), QByteArray::fromHex("390100"));
        QCOMPARE(CborValue(std::int64_t(-65535)).encode(), QByteArray::fromHex("39fffe"));
        QCOMPARE(CborValue(std::int64_t(1) << 32).encode(),
                 QByteArray::fromHex("1b0000000100000000"));
        QCOMPARE(CborValue(QByteArray("ab")).encode(), QByteArray::fromHex("426162"));
        QCOMPARE(CborValue("fmt").encode(), QByteArray::fromHex("63666d74"));
        QCOMPARE(CborValue(true).encode(), QByteArray::fromHex("f5"));
        QCOMPARE(CborValue::array({1, u"a"_s}).encode(), QByteArray::fromHex("82016161"));
    }

    void cborWriterKeepsDuplicateKeys()
    {
        CborValue map = CborValue::map({{u"fmt"_s, u"none"_s}});
        map.append("fmt", "none");
        QCOMPARE(map.encode(), QByteArray::fromHex("a263666d74646e6f6e6563666d74646e6f6e65"));
        map.set("fmt", "packed"); // replaces the first only
        QCOMPARE(map.entries().size(), size_t(2));
        QCOMPARE(map.remove("fmt"), 2);
    }

    void registrationBytesDecodeIndependently_data()
    {
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<int>("format");
        for (std::int64_t alg : {softalg::ES256, softalg::EdDSA, softalg::RS256, softalg::ES384}) {
            for (AttestationFormat format :
                 {AttestationFormat::None, AttestationFormat::PackedSelf,
                  AttestationFormat::PackedX5c, AttestationFormat::FidoU2f}) {
                if (format == AttestationFormat::FidoU2f && alg != softalg::ES256)
                    continue;
                QTest::addRow("%s/%s", qPrintable(softAlgorithmName(alg)),
                              format == AttestationFormat::PackedSelf ? "packed-self"
                              : format == AttestationFormat::PackedX5c
                                  ? "packed-x5c"
                                  : qPrintable(attestationFormatName(format)))
                    << qint64(alg) << int(format);
            }
        }
    }

    void registrationBytesDecodeIndependently()
    {
        QFETCH(qint64, alg);
        QFETCH(int, format);
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat(format);
        config.algorithms = {alg};
        SoftAuthenticator authenticator(config);
        const QByteArray challenge = randomBytes(32);
        const SoftRegistration reg =
            authenticator.create(creationOptions(challenge, {-8, -7, -35, -257}), kOrigin);
        QVERIFY(reg.ok());
        QCOMPARE(reg.credential.alg(), alg);

        // JSON form.
        const QJsonObject response = reg.json.value(u"response").toObject();
        QCOMPARE(reg.json.value(u"type").toString(), QStringLiteral("public-key"));
        QCOMPARE(reg.json.value(u"id").toString(), reg.credential.idBase64Url());
        QCOMPARE(jsonBytes(reg.json, "rawId"), reg.credential.id());
        QCOMPARE(jsonBytes(response, "clientDataJSON"), reg.clientDataJson);
        QCOMPARE(jsonBytes(response, "attestationObject"), reg.attestationObject);
        QCOMPARE(jsonBytes(response, "authenticatorData"), reg.authenticatorData);
        QCOMPARE(response.value(u"publicKeyAlgorithm").toInteger(), alg);
        QCOMPARE(reg.json.value(u"clientExtensionResults")
                     .toObject()
                     .value(u"credProps")
                     .toObject()
                     .value(u"rk")
                     .toBool(),
                 true);

        // clientDataJSON: browser member order, the challenge as issued.
        QVERIFY2(reg.clientDataJson.startsWith("{\"type\":\"webauthn.create\",\"challenge\":\""),
                 reg.clientDataJson.constData());
        const QJsonObject clientData = QJsonDocument::fromJson(reg.clientDataJson).object();
        QCOMPARE(clientData.value(u"challenge").toString().toLatin1(), encodeBase64Url(challenge));
        QCOMPARE(clientData.value(u"origin").toString(), kOrigin);
        QCOMPARE(clientData.value(u"crossOrigin").toBool(true), false);

        // attestationObject: one map of fmt, attStmt, authData, nothing after it.
        size_t read = 0;
        Cbor object = load(reg.attestationObject, &read);
        QVERIFY(object && cbor_isa_map(object.get()));
        QCOMPARE(qsizetype(read), reg.attestationObject.size());
        QCOMPARE(cbor_map_size(object.get()), size_t(3));
        cbor_item_t *fmt = mapValue(object.get(), "fmt");
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(cbor_string_handle(fmt)),
                            qsizetype(cbor_string_length(fmt))),
                 attestationFormatName(AttestationFormat(format)).toLatin1());
        QCOMPARE(bytesOf(mapValue(object.get(), "authData")), reg.authenticatorData);

        // authenticatorData laid out by hand.
        const QByteArray &authData = reg.authenticatorData;
        QCOMPARE(authData.left(32), sha256(kRpId.toUtf8()));
        QCOMPARE(quint8(authData.at(32)), quint8(softflag::UP | softflag::UV | softflag::AT));
        QCOMPARE(authData.mid(33, 4), QByteArray(4, '\0'));
        const QByteArray aaguid = AttestationFormat(format) == AttestationFormat::FidoU2f
                                      ? QByteArray(16, '\0')
                                      : authenticator.aaguid();
        QCOMPARE(authData.mid(37, 16), aaguid);
        const int idLength = (quint8(authData.at(53)) << 8) | quint8(authData.at(54));
        QVERIFY(idLength >= 16 && idLength <= 32);
        QCOMPARE(authData.mid(55, idLength), reg.credential.id());
        const QByteArray coseKey = authData.mid(55 + idLength);
        QCOMPARE(coseKey, reg.credential.coseKey());
        Cbor key = load(coseKey, &read);
        QVERIFY(key && cbor_isa_map(key.get()));
        QCOMPARE(qsizetype(read), coseKey.size());

        // The SubjectPublicKeyInfo is the same key as the COSE key's.
        auto publicKey = spki(jsonBytes(response, "publicKey"));
        QVERIFY(publicKey);
        QCOMPARE(EVP_PKEY_eq(publicKey.get(), reg.credential.key()), 1);

        // The attestation signature verifies with plain OpenSSL.
        cbor_item_t *statement = mapValue(object.get(), "attStmt");
        const QByteArray clientDataHash = sha256(reg.clientDataJson);
        switch (AttestationFormat(format)) {
        case AttestationFormat::None:
            QCOMPARE(cbor_map_size(statement), size_t(0));
            break;
        case AttestationFormat::PackedSelf:
            QVERIFY(!mapValue(statement, "x5c"));
            QVERIFY(opensslVerify(publicKey.get(), alg, authData + clientDataHash,
                                  bytesOf(mapValue(statement, "sig"))));
            break;
        case AttestationFormat::PackedX5c:
        case AttestationFormat::FidoU2f: {
            cbor_item_t *x5c = mapValue(statement, "x5c");
            QVERIFY(x5c && cbor_array_size(x5c) == 1);
            const Cbor first(cbor_array_get(x5c, 0)); // returns a new reference
            auto leaf = certificate(bytesOf(first.get()));
            QVERIFY(leaf);
            auto root = certificate(authenticator.attestationCa().certificateDer());
            QCOMPARE(X509_verify(leaf.get(), X509_get0_pubkey(root.get())), 1);
            QCOMPARE(X509_check_ca(leaf.get()), 0);
            const QByteArray signedData = AttestationFormat(format) == AttestationFormat::PackedX5c
                                              ? authData + clientDataHash
                                              : QByteArray(1, '\0') + authData.left(32) +
                                                    clientDataHash + reg.credential.id() +
                                                    reg.credential.uncompressedPoint();
            QVERIFY(opensslVerify(X509_get0_pubkey(leaf.get()), softalg::ES256, signedData,
                                  bytesOf(mapValue(statement, "sig"))));
            break;
        }
        }
    }

    void attestationCertificateMeetsPackedRequirements()
    {
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat::PackedX5c;
        SoftAuthenticator authenticator(config);
        auto leaf = certificate(authenticator.attestationCertificates().value(0));
        QVERIFY(leaf);
        QCOMPARE(X509_get_version(leaf.get()), 2L); // v3
        char ou[128] = {};
        QVERIFY(X509_NAME_get_text_by_NID(X509_get_subject_name(leaf.get()),
                                          NID_organizationalUnitName, ou, sizeof ou) > 0);
        QCOMPARE(QByteArray(ou), QByteArray("Authenticator Attestation"));
        for (int nid : {NID_countryName, NID_organizationName, NID_commonName})
            QVERIFY(X509_NAME_get_index_by_NID(X509_get_subject_name(leaf.get()), nid, -1) >= 0);
        QVERIFY(!(X509_get_extension_flags(leaf.get()) & EXFLAG_CA));

        // extnValue = OCTET STRING { OCTET STRING (16 bytes AAGUID) }.
        std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(
            OBJ_txt2obj("1.3.6.1.4.1.45724.1.1.4", 1), ASN1_OBJECT_free);
        const int index = X509_get_ext_by_OBJ(leaf.get(), oid.get(), -1);
        QVERIFY(index >= 0);
        X509_EXTENSION *extension = X509_get_ext(leaf.get(), index);
        QCOMPARE(X509_EXTENSION_get_critical(extension), 0);
        const ASN1_OCTET_STRING *value = X509_EXTENSION_get_data(extension);
        const QByteArray der(reinterpret_cast<const char *>(ASN1_STRING_get0_data(value)),
                             ASN1_STRING_length(value));
        QCOMPARE(der, QByteArray::fromHex("0410") + authenticator.aaguid());
    }

    void impostorRootHasSameNameOtherKey()
    {
        const TestCa genuine = TestCa::createRoot();
        const TestCa impostor = TestCa::createImpostorOf(genuine);
        auto a = certificate(genuine.certificateDer());
        auto b = certificate(impostor.certificateDer());
        QCOMPARE(X509_NAME_cmp(X509_get_subject_name(a.get()), X509_get_subject_name(b.get())), 0);
        QVERIFY(EVP_PKEY_eq(X509_get0_pubkey(a.get()), X509_get0_pubkey(b.get())) != 1);
        QCOMPARE(X509_verify(b.get(), X509_get0_pubkey(b.get())), 1); // properly self-signed
        QVERIFY(genuine.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
    }

    void assertionSignaturesVerify_data()
    {
        QTest::addColumn<qint64>("alg");
        for (std::int64_t alg :
             {softalg::ES256, softalg::EdDSA, softalg::RS256, softalg::ES384, softalg::ES512})
            QTest::newRow(qPrintable(softAlgorithmName(alg))) << qint64(alg);
    }

    void assertionSignaturesVerify()
    {
        QFETCH(qint64, alg);
        SoftAuthenticator::Config config;
        config.algorithms = {alg};
        SoftAuthenticator authenticator(config);
        const SoftRegistration reg =
            authenticator.create(creationOptions(randomBytes(32), {alg}), kOrigin);
        QVERIFY(reg.ok());
        auto publicKey = spki(reg.credential.subjectPublicKeyInfo());
        for (quint32 expected = 1; expected <= 3; ++expected) {
            const QByteArray challenge = randomBytes(32);
            const SoftAssertion assertion =
                authenticator.get(requestOptions(challenge, {reg.credential.id()}), kOrigin);
            QVERIFY(assertion.ok());
            QCOMPARE(assertion.authenticatorData.size(), 37);
            QCOMPARE(assertion.authenticatorData.left(32), sha256(kRpId.toUtf8()));
            QCOMPARE(quint8(assertion.authenticatorData.at(32)),
                     quint8(softflag::UP | softflag::UV));
            QCOMPARE(assertion.authenticatorData.mid(33), QByteArray(3, '\0') + char(expected));
            QVERIFY(opensslVerify(publicKey.get(), alg,
                                  assertion.authenticatorData + sha256(assertion.clientDataJson),
                                  assertion.signature));
            const QJsonObject response = assertion.json.value(u"response").toObject();
            QCOMPARE(jsonBytes(response, "signature"), assertion.signature);
            QCOMPARE(jsonBytes(response, "authenticatorData"), assertion.authenticatorData);
            QCOMPARE(jsonBytes(response, "userHandle"), QByteArray("user-1"));
            QVERIFY(assertion.clientDataJson.startsWith(
                "{\"type\":\"webauthn.get\",\"challenge\":\"" + encodeBase64Url(challenge) +
                "\",\"origin\":\"" + kOrigin.toLatin1() + "\",\"crossOrigin\":false}"));
        }
    }

    void countersCountOrStayZero()
    {
        SoftAuthenticator authenticator;
        SoftRegistration reg =
            authenticator.create(creationOptions(randomBytes(32), {-7}), kOrigin);
        reg.credential.setSignCount(41);
        auto counterOf = [](const SoftAssertion &a) {
            return quint32(a.authenticatorData.mid(33).toHex().toUInt(nullptr, 16));
        };
        QCOMPARE(counterOf(authenticator.get(requestOptions(randomBytes(32)), kOrigin)), 42u);
        reg.credential.setCounterMode(CounterMode::AlwaysZero);
        QCOMPARE(counterOf(authenticator.get(requestOptions(randomBytes(32)), kOrigin)), 0u);
        QCOMPARE(counterOf(authenticator.get(requestOptions(randomBytes(32)), kOrigin)), 0u);
    }

    void hooksChangeOneThing()
    {
        SoftAuthenticator authenticator;
        const SoftRegistration reg =
            authenticator.create(creationOptions(randomBytes(32), {-7}), kOrigin);
        auto publicKey = spki(reg.credential.subjectPublicKeyInfo());
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) { cd.insert(u"origin"_s, u"https://evil.test"_s); };
        tweaks.clearFlags = softflag::UP;
        tweaks.topOrigin = QStringLiteral("https://top.test");
        const SoftAssertion a = authenticator.get(requestOptions(randomBytes(32)), kOrigin, tweaks);
        const QJsonObject cd = QJsonDocument::fromJson(a.clientDataJson).object();
        QCOMPARE(cd.value(u"origin").toString(), QStringLiteral("https://evil.test"));
        QCOMPARE(cd.value(u"crossOrigin").toBool(), true);
        QCOMPARE(cd.value(u"topOrigin").toString(), QStringLiteral("https://top.test"));
        QCOMPARE(quint8(a.authenticatorData.at(32)), quint8(softflag::UV));
        // Signed after the hooks: still valid.
        QVERIFY(opensslVerify(publicKey.get(), -7, a.authenticatorData + sha256(a.clientDataJson),
                              a.signature));

        SoftTweaks breakSignature;
        breakSignature.signature = [](QByteArray &sig) {
            sig[sig.size() - 1] = char(sig.at(sig.size() - 1) ^ 0x01);
        };
        const SoftAssertion b =
            authenticator.get(requestOptions(randomBytes(32)), kOrigin, breakSignature);
        QVERIFY(!opensslVerify(publicKey.get(), -7, b.authenticatorData + sha256(b.clientDataJson),
                               b.signature));
    }

    void clientDataIsValidJsonWhateverItHolds()
    {
        SoftAuthenticator authenticator;
        authenticator.create(creationOptions(randomBytes(32), {-7}), kOrigin);
        const QString odd = QStringLiteral("q\" b\\ n\n t\t nul") + QChar(0) +
                            QStringLiteral(" \u0456\u2603 </script>");
        SoftTweaks tweaks;
        tweaks.clientData = [&](QJsonObject &cd) {
            cd.insert(u"origin"_s, odd);
            cd.insert(u"extra"_s,
                      QJsonObject{{u"n"_s, 1.5}, {u"list"_s, QJsonArray{true, u"x"_s}}});
        };
        const SoftAssertion a = authenticator.get(requestOptions(randomBytes(32)), kOrigin, tweaks);
        QJsonParseError error{};
        const QJsonObject parsed = QJsonDocument::fromJson(a.clientDataJson, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.value(u"origin").toString(), odd);
        QCOMPARE(parsed.value(u"extra").toObject().value(u"list").toArray().at(1).toString(),
                 u"x"_s);
        QVERIFY(a.clientDataJson.endsWith(",\"extra\":{\"list\":[true,\"x\"],\"n\":1.5}}"));
    }

    void choosesCredentialsLikeABrowser()
    {
        SoftAuthenticator authenticator;
        const SoftRegistration first =
            authenticator.create(creationOptions(randomBytes(32), {-7}), kOrigin);
        const SoftRegistration second =
            authenticator.create(creationOptions(randomBytes(32), {-7}), kOrigin);
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first.credential.alg(), softalg::ES256);
        QVERIFY(authenticator.get(requestOptions(randomBytes(32)), kOrigin).credential ==
                second.credential);
        QVERIFY(authenticator
                    .get(requestOptions(randomBytes(32), {randomBytes(16), first.credential.id()}),
                         kOrigin)
                    .credential == first.credential);
        QCOMPARE(
            authenticator.get(requestOptions(randomBytes(32), {randomBytes(16)}), kOrigin).domError,
            QStringLiteral("NotAllowedError"));

        QJsonObject excluded = creationOptions(randomBytes(32));
        excluded.insert(u"excludeCredentials"_s,
                        QJsonArray{QJsonObject{{u"type"_s, u"public-key"_s},
                                               {u"id"_s, first.credential.idBase64Url()}}});
        QCOMPARE(authenticator.create(excluded, kOrigin).domError,
                 QStringLiteral("InvalidStateError"));
        QCOMPARE(authenticator.create(creationOptions(randomBytes(32), {-65535}), kOrigin).domError,
                 QStringLiteral("NotSupportedError"));
        // pubKeyCredParams order is the RP's preference.
        QCOMPARE(authenticator.create(creationOptions(randomBytes(32), {-8, -7}), kOrigin)
                     .credential.alg(),
                 softalg::EdDSA);
    }
};

QTEST_GUILESS_MAIN(TestSoftAuthenticator)
#include "tst_soft_authenticator.moc"
