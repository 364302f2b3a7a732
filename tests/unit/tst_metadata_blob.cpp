// FIDO MDS3 metadata BLOBs (FIDO Metadata Service v3.0 §3.2): what is
// accepted, and one test per cause of refusal, each expecting its code.
// BLOBs are made here with a run-time root → intermediate → signer chain
// (tests/support/mds_test_blob.h); the specification's own example is
// parsed from tests/data/metadata.
#include "shared/metadata/authenticator_status.h"
#include "shared/metadata/compact_jws.h"
#include "shared/metadata/metadata_blob.h"
#include "shared/metadata/metadata_blob_verifier.h"
#include "shared/webauthn/bytes.h"
#include "tests/support/mds_test_blob.h"
#include "tests/support/soft_credential.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace daarion::metadata;
using namespace daarion::testing;

namespace
{

const QUuid kAaguid = QUuid::fromString(QStringLiteral("{5e7c9b5f-4a7e-4d6c-9f0e-1a2b3c4d5e6f}"));

QByteArray testData(const QString &name)
{
    QFile file(qEnvironmentVariable("DAARION_TEST_DATA") + QStringLiteral("/metadata/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

MdsRoots rootsOf(const MdsTestSigner &signer)
{
    auto roots = MdsRoots::fromPem(signer.rootPem(), QStringLiteral("test root"));
    return roots ? roots.value() : MdsRoots();
}

QJsonObject onePayload(qint64 no = 7)
{
    return mdsPayload(
        no, QDate(2031, 1, 1),
        {mdsEntry(kAaguid, QStringLiteral("Test Key"), {QStringLiteral("FIDO_CERTIFIED")})});
}

// The refusal's code, or nothing when the BLOB is accepted.
std::optional<MetadataErrorCode> refusal(const QByteArray &blob, const MdsTestSigner &signer,
                                         const QDateTime &at = QDateTime::currentDateTimeUtc())
{
    auto read = readMetadataBlob(blob, rootsOf(signer), at);
    if (read)
        return std::nullopt;
    qInfo("refused: %s", qPrintable(read.error().message));
    return read.error().code;
}

std::optional<MetadataErrorCode> payloadRefusal(const QJsonObject &payload)
{
    auto parsed = parseMetadataPayload(QJsonDocument(payload).toJson());
    if (parsed)
        return std::nullopt;
    qInfo("refused: %s", qPrintable(parsed.error().message));
    return parsed.error().code;
}

QByteArray base64Url(const QByteArray &bytes)
{
    return daarion::webauthn::encodeBase64Url(bytes);
}

// Replaces one dot-separated part of a compact JWS.
QByteArray withPart(const QByteArray &jws, int index, const QByteArray &part)
{
    QList<QByteArray> parts = jws.split('.');
    parts[index] = part;
    return parts.join('.');
}

QJsonObject payloadWithEntry(const QJsonObject &entry)
{
    return mdsPayload(1, QDate(2031, 1, 1), {entry});
}

QJsonObject entryWithStatement(const QString &member, const QJsonValue &value)
{
    QJsonObject entry =
        mdsEntry(kAaguid, QStringLiteral("Key"), {QStringLiteral("FIDO_CERTIFIED")});
    QJsonObject statement = entry.value(QStringLiteral("metadataStatement")).toObject();
    statement.insert(member, value);
    entry.insert(QStringLiteral("metadataStatement"), statement);
    return entry;
}

constexpr std::optional<MetadataErrorCode> kAccepted = std::nullopt;

} // namespace

class TestMetadataBlob : public QObject
{
    Q_OBJECT

private slots:
    void acceptsEachAllowedAlgorithm_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("ES256") << QStringLiteral("ES256");
        QTest::newRow("RS256") << QStringLiteral("RS256");
        QTest::newRow("PS256") << QStringLiteral("PS256");
    }
    void acceptsEachAllowedAlgorithm()
    {
        QFETCH(QString, alg);
        const MdsTestSigner signer = MdsTestSigner::create(alg);
        const QJsonArray entries{
            mdsEntry(kAaguid, QStringLiteral("Test Key"),
                     {QStringLiteral("FIDO_CERTIFIED"), QStringLiteral("REVOKED")},
                     testPngDataUri(), {signer.root().certificateDer()}),
            QJsonObject{{QStringLiteral("aaid"), QStringLiteral("1234#5678")},
                        {QStringLiteral("statusReports"), QJsonArray()}}};
        const QByteArray blob = signer.sign(mdsPayload(42, QDate(2031, 2, 3), entries)) + "\n";
        auto read = readMetadataBlob(blob, rootsOf(signer), QDateTime::currentDateTimeUtc());
        QVERIFY2(read, read ? "" : qPrintable(read.error().message));
        QCOMPARE(read->number, 42);
        QCOMPARE(read->nextUpdate, QDate(2031, 2, 3));
        QCOMPARE(read->skippedEntries, 1);
        QCOMPARE(read->entries.size(), 1);
        const MetadataEntry &entry = read->entries.first();
        QCOMPARE(entry.aaguid, kAaguid);
        QCOMPARE(entry.description, QStringLiteral("Test Key"));
        QCOMPARE(entry.icon, testPngDataUri());
        QCOMPARE(entry.attestationRoots, QList<QByteArray>{signer.root().certificateDer()});
        QCOMPARE(entry.statusReports.size(), 2);
        QCOMPARE(entry.status, QStringLiteral("REVOKED"));
        QCOMPARE(entry.statusEffectiveDate, QDate(2020, 1, 2));
        QVERIFY(entry.compromised());
        QVERIFY(read->warnings.isEmpty());
    }

    void refusesWhatIsNotACompactJws_data()
    {
        QTest::addColumn<QByteArray>("blob");
        const QByteArray good = MdsTestSigner::create().sign(onePayload());
        const QList<QByteArray> parts = good.split('.');
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("two parts") << parts[0] + '.' + parts[1];
        QTest::newRow("four parts") << good + ".AAAA";
        QTest::newRow("empty signature") << parts[0] + '.' + parts[1] + '.';
        QTest::newRow("padded base64") << withPart(good, 2, parts[2] + "==");
        QTest::newRow("standard base64 characters") << withPart(good, 1, "+/" + parts[1]);
        QTest::newRow("header not JSON") << withPart(good, 0, base64Url("not json"));
        QTest::newRow("header an array") << withPart(good, 0, base64Url("[1,2]"));
        QTest::newRow("whitespace inside")
            << withPart(good, 1, parts[1].left(10) + ' ' + parts[1].mid(10));
        QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02.\xff.\x80", 7);
    }
    void refusesWhatIsNotACompactJws()
    {
        QFETCH(QByteArray, blob);
        QCOMPARE(refusal(blob, MdsTestSigner::create()), MetadataErrorCode::MalformedJws);
    }

    void refusesABlobOverTheSizeCap()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        QByteArray blob = signer.sign(onePayload());
        blob.append(QByteArray(kMaxBlobBytes - blob.size() + 1, ' '));
        QCOMPARE(refusal(blob, signer), MetadataErrorCode::TooLarge);
    }

    void refusesAnyOtherAlgorithm_data()
    {
        QTest::addColumn<QJsonValue>("alg");
        QTest::newRow("none") << QJsonValue(QStringLiteral("none"));
        QTest::newRow("HS256") << QJsonValue(QStringLiteral("HS256"));
        QTest::newRow("ES384") << QJsonValue(QStringLiteral("ES384"));
        QTest::newRow("RS512") << QJsonValue(QStringLiteral("RS512"));
        QTest::newRow("lower case") << QJsonValue(QStringLiteral("es256"));
        QTest::newRow("a number") << QJsonValue(-7);
        QTest::newRow("missing") << QJsonValue(QJsonValue::Null);
    }
    void refusesAnyOtherAlgorithm()
    {
        QFETCH(QJsonValue, alg);
        const MdsTestSigner signer = MdsTestSigner::create();
        const QByteArray blob = signer.sign(onePayload(), {{QStringLiteral("alg"), alg}});
        QCOMPARE(refusal(blob, signer), MetadataErrorCode::UnsupportedAlgorithm);
    }

    void refusesAnAlgorithmThatDoesNotFitTheKey()
    {
        // The header says RS256, the signing certificate holds a P-256 key.
        const MdsTestSigner signer = MdsTestSigner::create(QStringLiteral("ES256"));
        const QByteArray blob =
            signer.sign(onePayload(), {{QStringLiteral("alg"), QStringLiteral("RS256")}});
        QCOMPARE(refusal(blob, signer), MetadataErrorCode::SignatureInvalid);
        // PS256 signature presented as RS256 (same key, other padding).
        const MdsTestSigner rsa = MdsTestSigner::create(QStringLiteral("PS256"));
        const QByteArray pss =
            rsa.sign(onePayload(), {{QStringLiteral("alg"), QStringLiteral("RS256")}});
        QCOMPARE(refusal(pss, rsa), MetadataErrorCode::SignatureInvalid);
    }

    void refusesCriticalHeaderExtensions()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        const QByteArray blob = signer.sign(
            onePayload(), {{QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")}}});
        QCOMPARE(refusal(blob, signer), MetadataErrorCode::MalformedJws);
    }

    void refusesABlobWithoutCertificates()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        QCOMPARE(
            refusal(signer.sign(onePayload(), {{QStringLiteral("x5c"), QJsonValue::Null}}), signer),
            MetadataErrorCode::MissingCertificates);
        // x5u would need the network: never fetched.
        const QByteArray x5u =
            signer.sign(onePayload(),
                        {{QStringLiteral("x5c"), QJsonValue::Null},
                         {QStringLiteral("x5u"), QStringLiteral("https://mds.example/chain.pem")}});
        QCOMPARE(refusal(x5u, signer), MetadataErrorCode::MissingCertificates);
    }

    void refusesCertificatesThatDoNotParse_data()
    {
        QTest::addColumn<QJsonValue>("x5c");
        const MdsTestSigner signer = MdsTestSigner::create();
        QTest::newRow("not an array") << QJsonValue(QStringLiteral("MIIB"));
        QTest::newRow("empty array") << QJsonValue(QJsonArray());
        QTest::newRow("a number") << QJsonValue(QJsonArray{1});
        QTest::newRow("not base64") << QJsonValue(QJsonArray{QStringLiteral("%%%")});
        QTest::newRow("not a certificate")
            << QJsonValue(QJsonArray{QString::fromLatin1(QByteArray("hello").toBase64())});
        QTest::newRow("trailing bytes") << QJsonValue(
            QJsonArray{QString::fromLatin1((signer.signerCertificate() + "x").toBase64())});
        QList<QByteArray> nine;
        for (int i = 0; i < 9; ++i)
            nine << signer.signerCertificate();
        QTest::newRow("nine certificates") << QJsonValue(x5cArray(nine));
    }
    void refusesCertificatesThatDoNotParse()
    {
        QFETCH(QJsonValue, x5c);
        const MdsTestSigner signer = MdsTestSigner::create();
        QCOMPARE(refusal(signer.sign(onePayload(), {{QStringLiteral("x5c"), x5c}}), signer),
                 MetadataErrorCode::MalformedCertificate);
    }

    void refusesAChainToAnotherRoot()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        const MdsTestSigner foreign = MdsTestSigner::create();
        // Signed by a complete, valid chain - to a root that is not MDS_ROOT_CERT.
        QCOMPARE(refusal(foreign.sign(onePayload()), signer), MetadataErrorCode::ChainUntrusted);
        // The foreign root sent along in x5c changes nothing: x5c is never an anchor.
        QList<QByteArray> withRoot = foreign.chain();
        withRoot << foreign.root().certificateDer();
        QCOMPARE(refusal(foreign.sign(onePayload(), {{QStringLiteral("x5c"), x5cArray(withRoot)}}),
                         signer),
                 MetadataErrorCode::ChainUntrusted);
        // Nor does an impostor of our own root (same name, other key).
        const TestCa impostor = TestCa::createImpostorOf(signer.root());
        CertificateProfile profile;
        profile.commonName = QStringLiteral("mds.test.invalid");
        auto key = generateSoftKey(softalg::ES256);
        const QByteArray leaf = impostor.issue(key.get(), profile);
        QCOMPARE(
            refusal(foreign.sign(onePayload(), {{QStringLiteral("x5c"),
                                                 x5cArray({leaf, impostor.certificateDer()})}}),
                    signer),
            MetadataErrorCode::ChainUntrusted);
    }

    void refusesABrokenChain()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        // The intermediate is missing: the signing certificate leads nowhere.
        QCOMPARE(refusal(signer.sign(onePayload(), {{QStringLiteral("x5c"),
                                                     x5cArray({signer.signerCertificate()})}}),
                         signer),
                 MetadataErrorCode::ChainUntrusted);
        // The signing certificate's own signature is damaged.
        QByteArray damaged = signer.signerCertificate();
        damaged[damaged.size() - 3] = char(damaged[damaged.size() - 3] ^ 0x01);
        const QByteArray blob = signer.sign(
            onePayload(),
            {{QStringLiteral("x5c"), x5cArray({damaged, signer.intermediate().certificateDer()})}});
        QCOMPARE(refusal(blob, signer), MetadataErrorCode::ChainBroken);
    }

    void refusesExpiredAndNotYetValidCertificates()
    {
        CertificateProfile shortLived;
        shortLived.notBefore = QDateTime::currentDateTimeUtc().addDays(-2);
        shortLived.notAfter = QDateTime::currentDateTimeUtc().addDays(1);
        const MdsTestSigner signer = MdsTestSigner::create(QStringLiteral("ES256"), shortLived);
        const QByteArray blob = signer.sign(onePayload());
        QCOMPARE(refusal(blob, signer), kAccepted);
        QCOMPARE(refusal(blob, signer, QDateTime::currentDateTimeUtc().addDays(2)),
                 MetadataErrorCode::CertificateExpired);
        QCOMPARE(refusal(blob, signer, QDateTime::currentDateTimeUtc().addDays(-3)),
                 MetadataErrorCode::CertificateExpired);
        // The intermediate and the root are checked too: ten years from now they are gone.
        const MdsTestSigner longLived = MdsTestSigner::create();
        QCOMPARE(refusal(longLived.sign(onePayload()), longLived,
                         QDateTime::currentDateTimeUtc().addYears(11)),
                 MetadataErrorCode::CertificateExpired);
    }

    void refusesABadSignature()
    {
        const MdsTestSigner signer = MdsTestSigner::create(QStringLiteral("ES256"));
        const QByteArray blob = signer.sign(onePayload());
        const QList<QByteArray> parts = blob.split('.');
        // Every flipped byte of the signature.
        const QByteArray signature =
            QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
        for (qsizetype i = 0; i < signature.size(); ++i) {
            QByteArray flipped = signature;
            flipped[i] = char(flipped[i] ^ 0x80);
            QCOMPARE(refusal(withPart(blob, 2, base64Url(flipped)), signer),
                     MetadataErrorCode::SignatureInvalid);
        }
        // Another payload under the first one's signature (a raised `no`).
        const QByteArray other = signer.sign(onePayload(8));
        QCOMPARE(refusal(withPart(blob, 1, other.split('.')[1]), signer),
                 MetadataErrorCode::SignatureInvalid);
        // R || S of the wrong length, and a DER signature where JWS wants R || S.
        QCOMPARE(refusal(withPart(blob, 2, base64Url(signature.left(63))), signer),
                 MetadataErrorCode::SignatureInvalid);
        QCOMPARE(refusal(withPart(blob, 2, base64Url(QByteArray(70, '\x30'))), signer),
                 MetadataErrorCode::SignatureInvalid);
    }

    void refusesAPayloadThatIsNotJson()
    {
        const MdsTestSigner signer = MdsTestSigner::create();
        QCOMPARE(refusal(signer.sign(onePayload()), signer), kAccepted);
        // Signed properly, but not JSON / not an object: sign the raw text by hand.
        for (const QByteArray &text :
             {QByteArray("not json"), QByteArray("[1,2,3]"), QByteArray("{\"no\": 1,")}) {
            const QByteArray header = base64Url(
                QJsonDocument(QJsonObject{{QStringLiteral("alg"), QStringLiteral("ES256")},
                                          {QStringLiteral("x5c"), x5cArray(signer.chain())}})
                    .toJson(QJsonDocument::Compact));
            const QByteArray input = header + '.' + base64Url(text);
            QCOMPARE(refusal(input + '.' + base64Url(signer.signature(input)), signer),
                     MetadataErrorCode::MalformedJson);
        }
    }

    void refusesPayloadsThatBreakTheFormat_data()
    {
        QTest::addColumn<QJsonObject>("payload");
        const QJsonObject good = onePayload();
        auto with = [&](const QString &member, const QJsonValue &value) {
            QJsonObject payload = good;
            if (value.isUndefined())
                payload.remove(member);
            else
                payload.insert(member, value);
            return payload;
        };
        QTest::newRow("no missing") << with(QStringLiteral("no"), QJsonValue::Undefined);
        QTest::newRow("no negative") << with(QStringLiteral("no"), -1);
        QTest::newRow("no fractional") << with(QStringLiteral("no"), 1.5);
        QTest::newRow("no a string") << with(QStringLiteral("no"), QStringLiteral("15"));
        QTest::newRow("no beyond 2^53") << with(QStringLiteral("no"), 1e17);
        QTest::newRow("nextUpdate missing")
            << with(QStringLiteral("nextUpdate"), QJsonValue::Undefined);
        QTest::newRow("nextUpdate not a date")
            << with(QStringLiteral("nextUpdate"), QStringLiteral("soon"));
        QTest::newRow("nextUpdate impossible date")
            << with(QStringLiteral("nextUpdate"), QStringLiteral("2031-02-30"));
        QTest::newRow("nextUpdate with time")
            << with(QStringLiteral("nextUpdate"), QStringLiteral("2031-01-01T00:00:00Z"));
        QTest::newRow("legalHeader a number") << with(QStringLiteral("legalHeader"), 1);
        QTest::newRow("entries missing") << with(QStringLiteral("entries"), QJsonValue::Undefined);
        QTest::newRow("entries an object") << with(QStringLiteral("entries"), QJsonObject());
        QTest::newRow("entry a string")
            << with(QStringLiteral("entries"), QJsonArray{QStringLiteral("x")});

        auto entry = [&](const std::function<void(QJsonObject &)> &change) {
            QJsonObject e =
                mdsEntry(kAaguid, QStringLiteral("Key"), {QStringLiteral("FIDO_CERTIFIED")});
            change(e);
            return payloadWithEntry(e);
        };
        QTest::newRow("aaguid not a UUID") << entry(
            [](QJsonObject &e) { e.insert(QStringLiteral("aaguid"), QStringLiteral("nope")); });
        QTest::newRow("aaguid in braces") << entry(
            [](QJsonObject &e) { e.insert(QStringLiteral("aaguid"), kAaguid.toString()); });
        QTest::newRow("aaguid a number")
            << entry([](QJsonObject &e) { e.insert(QStringLiteral("aaguid"), 5); });
        QTest::newRow("statusReports missing")
            << entry([](QJsonObject &e) { e.remove(QStringLiteral("statusReports")); });
        QTest::newRow("statusReports an object") << entry(
            [](QJsonObject &e) { e.insert(QStringLiteral("statusReports"), QJsonObject()); });
        QTest::newRow("status missing") << entry([](QJsonObject &e) {
            e.insert(QStringLiteral("statusReports"), QJsonArray{QJsonObject()});
        });
        QTest::newRow("status with a space") << entry([](QJsonObject &e) {
            e.insert(QStringLiteral("statusReports"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("status"), QStringLiteral("FIDO CERTIFIED")}}});
        });
        QTest::newRow("status too long") << entry([](QJsonObject &e) {
            e.insert(
                QStringLiteral("statusReports"),
                QJsonArray{QJsonObject{{QStringLiteral("status"), QString(65, QLatin1Char('A'))}}});
        });
        QTest::newRow("effectiveDate not a date") << entry([](QJsonObject &e) {
            e.insert(QStringLiteral("statusReports"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("status"), QStringLiteral("REVOKED")},
                         {QStringLiteral("effectiveDate"), QStringLiteral("yesterday")}}});
        });
        QTest::newRow("too many status reports") << entry([](QJsonObject &e) {
            QJsonArray reports;
            for (int i = 0; i <= kMaxStatusReports; ++i)
                reports.append(
                    QJsonObject{{QStringLiteral("status"), QStringLiteral("FIDO_CERTIFIED")}});
            e.insert(QStringLiteral("statusReports"), reports);
        });
        QTest::newRow("timeOfLastStatusChange not a date") << entry(
            [](QJsonObject &e) { e.insert(QStringLiteral("timeOfLastStatusChange"), 2020); });
        QTest::newRow("statement not an object") << entry([](QJsonObject &e) {
            e.insert(QStringLiteral("metadataStatement"), QStringLiteral("x"));
        });
        QTest::newRow("statement of another aaguid") << payloadWithEntry(entryWithStatement(
            QStringLiteral("aaguid"), QUuid::createUuid().toString(QUuid::WithoutBraces)));
        QTest::newRow("description a number")
            << payloadWithEntry(entryWithStatement(QStringLiteral("description"), 1));
        QTest::newRow("description too long") << payloadWithEntry(entryWithStatement(
            QStringLiteral("description"), QString(kMaxDescriptionChars + 1, QLatin1Char('x'))));
        QTest::newRow("icon a number")
            << payloadWithEntry(entryWithStatement(QStringLiteral("icon"), 1));
        QTest::newRow("roots not an array") << payloadWithEntry(entryWithStatement(
            QStringLiteral("attestationRootCertificates"), QStringLiteral("MIIB")));
        QTest::newRow("root a number") << payloadWithEntry(
            entryWithStatement(QStringLiteral("attestationRootCertificates"), QJsonArray{1}));
        QJsonArray tooManyRoots;
        for (int i = 0; i <= kMaxEntryRoots; ++i)
            tooManyRoots.append(QStringLiteral("AA=="));
        QTest::newRow("too many roots") << payloadWithEntry(
            entryWithStatement(QStringLiteral("attestationRootCertificates"), tooManyRoots));
        QTest::newRow("two entries for one AAGUID") << mdsPayload(
            1, QDate(2031, 1, 1),
            {mdsEntry(kAaguid, QStringLiteral("A"), {QStringLiteral("FIDO_CERTIFIED")}),
             mdsEntry(kAaguid, QStringLiteral("B"), {QStringLiteral("REVOKED")})});
    }
    void refusesPayloadsThatBreakTheFormat()
    {
        QFETCH(QJsonObject, payload);
        QCOMPARE(payloadRefusal(payload), MetadataErrorCode::InvalidPayload);
    }

    void refusesMoreEntriesThanTheCap()
    {
        QJsonArray entries;
        for (qsizetype i = 0; i <= kMaxEntries; ++i)
            entries.append(QJsonObject{{QStringLiteral("aaid"), QStringLiteral("0000#0000")}});
        QCOMPARE(payloadRefusal(mdsPayload(1, QDate(2031, 1, 1), entries)),
                 MetadataErrorCode::InvalidPayload);
        entries.removeLast();
        QCOMPARE(payloadRefusal(mdsPayload(1, QDate(2031, 1, 1), entries)), kAccepted);
    }

    void dropsUnusableDecorationsWithAWarning()
    {
        QJsonObject entry = entryWithStatement(QStringLiteral("icon"),
                                               QStringLiteral("https://example.com/icon.png"));
        QJsonObject statement = entry.value(QStringLiteral("metadataStatement")).toObject();
        statement.insert(QStringLiteral("attestationRootCertificates"),
                         QJsonArray{QStringLiteral("bm90IGEgY2VydA=="), QStringLiteral("%%")});
        entry.insert(QStringLiteral("metadataStatement"), statement);
        auto parsed = parseMetadataPayload(QJsonDocument(payloadWithEntry(entry)).toJson());
        QVERIFY(parsed);
        QCOMPARE(parsed->entries.first().icon, QString());
        QVERIFY(parsed->entries.first().attestationRoots.isEmpty());
        QCOMPARE(parsed->warnings.size(), 3);

        const QString huge =
            QStringLiteral("data:image/png;base64,") + QString(kMaxIconChars, QLatin1Char('A'));
        auto large = parseMetadataPayload(
            QJsonDocument(payloadWithEntry(entryWithStatement(QStringLiteral("icon"), huge)))
                .toJson());
        QVERIFY(large);
        QCOMPARE(large->entries.first().icon, QString());
        QCOMPARE(large->warnings.size(), 1);
        // A script is no image.
        auto script = parseMetadataPayload(
            QJsonDocument(
                payloadWithEntry(entryWithStatement(
                    QStringLiteral("icon"), QStringLiteral("data:text/html;base64,PHNjcmlwdD4="))))
                .toJson());
        QVERIFY(script);
        QCOMPARE(script->entries.first().icon, QString());
    }

    void latestStatusIsTheLatestDated()
    {
        QList<StatusReport> reports{{QStringLiteral("REVOKED"), QDate(2024, 5, 1)},
                                    {QStringLiteral("FIDO_CERTIFIED"), QDate(2021, 1, 1)},
                                    {QStringLiteral("UPDATE_AVAILABLE"), {}}};
        QCOMPARE(latestStatusReport(reports)->status, QStringLiteral("REVOKED"));
        reports.append({QStringLiteral("FIDO_CERTIFIED_L2"),
                        QDate(2024, 5, 1)}); // same day, later in the list
        QCOMPARE(latestStatusReport(reports)->status, QStringLiteral("FIDO_CERTIFIED_L2"));
        QCOMPARE(latestStatusReport({{QStringLiteral("A"), {}}, {QStringLiteral("B"), {}}})->status,
                 QStringLiteral("B"));
        QVERIFY(!latestStatusReport({}));
        // An entry without status reports has no status.
        QJsonObject entry = mdsEntry(kAaguid, QStringLiteral("Key"), {});
        auto parsed = parseMetadataPayload(QJsonDocument(payloadWithEntry(entry)).toJson());
        QVERIFY(parsed);
        QCOMPARE(parsed->entries.first().status, QString());
        QVERIFY(!parsed->entries.first().compromised());
    }

    void compromisingStatusesAreTheFiveOfTheApi()
    {
        const QStringList five{QStringLiteral("REVOKED"),
                               QStringLiteral("USER_VERIFICATION_BYPASS"),
                               QStringLiteral("ATTESTATION_KEY_COMPROMISE"),
                               QStringLiteral("USER_KEY_REMOTE_COMPROMISE"),
                               QStringLiteral("USER_KEY_PHYSICAL_COMPROMISE")};
        for (const QString &name : five)
            QVERIFY2(isCompromisingStatusName(name), qPrintable(name));
        for (const QString &name :
             {QStringLiteral("FIDO_CERTIFIED"), QStringLiteral("UPDATE_AVAILABLE"),
              QStringLiteral("NOT_FIDO_CERTIFIED"), QStringLiteral("RETIRED"),
              QStringLiteral("FIDO_CERTIFIED_L3plus"), QStringLiteral("SOMETHING_NEW"),
              QStringLiteral("revoked")})
            QVERIFY2(!isCompromisingStatusName(name), qPrintable(name));
        for (int i = 0; i <= int(AuthenticatorStatus::FidoCertifiedL3Plus); ++i) {
            const auto status = AuthenticatorStatus(i);
            QCOMPARE(authenticatorStatusFromName(authenticatorStatusName(status)), status);
        }
    }

    // FIDO Metadata Service v3.0 §3.1.7.1, "Example: Encoded Metadata BLOB" (its payload).
    void parsesTheSpecificationsExamplePayload()
    {
        const QByteArray json = testData(QStringLiteral("mds3-spec-example-payload.json"));
        QVERIFY2(!json.isEmpty(),
                 "tests/data/metadata/mds3-spec-example-payload.json (run through CTest)");
        auto parsed = parseMetadataPayload(json);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->number, 15);
        QCOMPARE(parsed->nextUpdate, QDate(2020, 3, 30));
        QVERIFY(parsed->legalHeader.startsWith(QStringLiteral("Retrieval and use of this BLOB")));
        QCOMPARE(parsed->skippedEntries, 1); // the UAF entry (aaid 1234#5678)
        QCOMPARE(parsed->entries.size(), 1);
        const MetadataEntry &entry = parsed->entries.first();
        QCOMPARE(entry.aaguid,
                 QUuid::fromString(QStringLiteral("{0132d110-bf4e-4208-a403-ab4f5f12efe5}")));
        QCOMPARE(entry.description, QStringLiteral("FIDO Alliance Sample FIDO2 Authenticator"));
        QCOMPARE(entry.statusReports.size(), 2);
        QCOMPARE(entry.status, QStringLiteral("FIDO_CERTIFIED_L1"));
        QCOMPARE(entry.statusEffectiveDate, QDate(2020, 11, 19));
        QCOMPARE(entry.timeOfLastStatusChange, QDate(2019, 1, 4));
        QVERIFY(!entry.compromised());
        QVERIFY(entry.icon.startsWith(QStringLiteral("data:image/png;base64,iVBOR")));
        QCOMPARE(entry.attestationRoots.size(), 1);
        QVERIFY(parsed->warnings.isEmpty());
    }

    // The same section's example BLOB chains to the specification's example
    // root, not to the FIDO Alliance's: the shipped root refuses it.
    void refusesTheSpecificationsExampleBlobUnderTheFidoRoot()
    {
        const QByteArray jws = testData(QStringLiteral("mds3-spec-example.jwt"));
        QVERIFY(!jws.isEmpty());
        auto parts = parseCompactJws(jws);
        QVERIFY(parts);
        QCOMPARE(parts->header.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        QCOMPARE(parseMetadataPayload(parts->payload)->number, 15);
        auto read = readMetadataBlob(jws, MdsRoots::bundled(),
                                     QDateTime(QDate(2025, 6, 1), QTime(0, 0), Qt::UTC));
        QVERIFY(!read);
        QCOMPARE(read.error().code, MetadataErrorCode::ChainUntrusted);
    }

    void shipsTheFidoAllianceRoot()
    {
        const MdsRoots roots = MdsRoots::bundled();
        QCOMPARE(roots.certificates().size(), 1);
        // GlobalSign Root CA - R3, as GlobalSign publishes its fingerprint.
        QCOMPARE(QCryptographicHash::hash(roots.certificates().first(), QCryptographicHash::Sha256)
                     .toHex(),
                 QByteArray("cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b"));
        auto loaded = MdsRoots::load(QString());
        QVERIFY(loaded);
        QCOMPARE(loaded->certificates(), roots.certificates());
    }

    void refusesAnUnusableRootFile()
    {
        QTemporaryDir dir;
        QCOMPARE(MdsRoots::load(dir.filePath(QStringLiteral("missing.pem"))).error().code,
                 MetadataErrorCode::RootUnavailable);
        QFile text(dir.filePath(QStringLiteral("text.pem")));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("no certificate here\n");
        text.close();
        QCOMPARE(MdsRoots::load(text.fileName()).error().code, MetadataErrorCode::RootUnavailable);
        const MdsTestSigner signer = MdsTestSigner::create();
        QFile pem(dir.filePath(QStringLiteral("root.pem")));
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.write(signer.rootPem() + MdsTestSigner::create().rootPem());
        pem.close();
        auto two = MdsRoots::load(pem.fileName());
        QVERIFY(two);
        QCOMPARE(two->certificates().size(), 2);
        auto read = readMetadataBlob(signer.sign(onePayload()), two.value(),
                                     QDateTime::currentDateTimeUtc());
        QVERIFY(read);
    }

    void everyRefusalHasItsOwnName()
    {
        QSet<QString> names;
        for (int i = 0; i <= int(MetadataErrorCode::RootUnavailable); ++i) {
            const auto code = MetadataErrorCode(i);
            QVERIFY(!metadataErrorSummary(code).isEmpty());
            names.insert(metadataErrorName(code));
        }
        QCOMPARE(names.size(), int(MetadataErrorCode::RootUnavailable) + 1);
    }
};

QTEST_GUILESS_MAIN(TestMetadataBlob)
#include "tst_metadata_blob.moc"
