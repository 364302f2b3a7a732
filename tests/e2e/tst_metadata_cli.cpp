// daarion-authd metadata import|status against a real database: a BLOB made
// here (own root, intermediate and signer; tests/support/mds_test_blob.h) is
// imported with MDS_ROOT_CERT naming that root; every refusal exits 1 with
// its code and changes nothing; usage errors exit 2; /metrics shows what was
// imported and whether it is stale; bad metadata settings stop the daemon.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/mds_test_blob.h"
#include "tests/support/test_database.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace daarion::testing;

namespace {

const QUuid kModel = QUuid::fromString(QStringLiteral("{7a1b2c3d-0000-4000-8000-00000000a11a}"));
const QUuid kOtherModel = QUuid::fromString(QStringLiteral("{7a1b2c3d-0000-4000-8000-00000000b22b}"));

QJsonObject payload(qint64 no, const QDate &nextUpdate = QDate::currentDate().addDays(30))
{
    return mdsPayload(no, nextUpdate,
                      {mdsEntry(kModel, "CLI Test Key", {"FIDO_CERTIFIED_L1"}, testPngDataUri()),
                       mdsEntry(kOtherModel, "Other Key", {"FIDO_CERTIFIED"}),
                       QJsonObject{{"aaid", "1234#5678"}, {"statusReports", QJsonArray()}}});
}

} // namespace

class MetadataCli : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    QTemporaryDir m_dir;
    MdsTestSigner m_signer = MdsTestSigner::create("ES256");
    QString m_rootFile;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
        QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
        QString describe() const { return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(out, err); }
    };
    Run cli(const QStringList &arguments, const QMap<QString, QString> &env = {})
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("DATABASE_URL", m_db.url());
        environment.insert("USER", "tester");
        environment.insert("MDS_ROOT_CERT", m_rootFile);
        environment.remove("METADATA_ACTION");
        for (auto it = env.begin(); it != env.end(); ++it) {
            if (it.value().isNull())
                environment.remove(it.key());
            else
                environment.insert(it.key(), it.value());
        }
        process.setProcessEnvironment(environment);
        process.start(DaemonProcess::binary(), QStringList{"metadata"} + arguments);
        if (!process.waitForFinished(60'000))
            process.kill();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }
    QString file(const QString &name, const QByteArray &contents)
    {
        QFile out(m_dir.filePath(name));
        if (!out.open(QIODevice::WriteOnly) || out.write(contents) != contents.size())
            qFatal("cannot write %s", qPrintable(out.fileName()));
        return out.fileName();
    }
    Run import(const QByteArray &blob, const QStringList &extra = {}, const QMap<QString, QString> &env = {})
    {
        return cli(QStringList{"import", file("blob.jwt", blob)} + extra, env);
    }
    QString scalar(const QString &sql)
    {
        auto rows = m_db.database().run(sql);
        if (!rows || !rows.value()->next())
            return "<no row>";
        return rows.value()->value(0).toString();
    }
    // What an import may change, as one string to compare before and after.
    QString snapshot()
    {
        return scalar("SELECT coalesce((SELECT blob_no::text || ' ' || next_update::text FROM metadata_blob), 'none')"
                      " || ' ' || (SELECT count(*) FROM metadata_entries)::text"
                      " || ' ' || (SELECT count(*) FROM auth_events WHERE event = 'metadata_imported')::text");
    }
    void expectRefused(const Run &run, const QString &code, const QString &before)
    {
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QCOMPARE(run.json().value("error").toString(), code);
        QVERIFY2(!run.json().value("message").toString().isEmpty(), qPrintable(run.out));
        QVERIFY2(run.err.contains(code), qPrintable(run.err));
        QCOMPARE(snapshot(), before);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY(m_dir.isValid());
        m_rootFile = file("mds-root.pem", m_signer.rootPem());
    }

    void statusBeforeAnyImport()
    {
        const Run run = cli({"status"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.json().value("no").isNull());
        QVERIFY(run.json().value("next_update").isNull());
        QCOMPARE(run.json().value("entries").toInt(), 0);
        QCOMPARE(run.json().value("stale").toBool(), true);
    }

    void importsAndReportsWhatItDid()
    {
        const Run run = import(m_signer.sign(payload(5)));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject result = run.json();
        QCOMPARE(result.value("imported").toBool(), true);
        QCOMPARE(result.value("no").toInt(), 5);
        QVERIFY(result.value("previous_no").isNull());
        QCOMPARE(result.value("entries").toInt(), 2);
        QCOMPARE(result.value("skipped_entries").toInt(), 1);
        QCOMPARE(result.value("flagged_passkeys").toInt(), 0);
        QCOMPARE(result.value("stale").toBool(), false);
        QCOMPARE(result.value("warnings").toArray().size(), 0);

        const Run status = cli({"status"});
        QVERIFY2(status.exitCode == 0, qPrintable(status.describe()));
        QCOMPARE(status.json().value("no").toInt(), 5);
        QCOMPARE(status.json().value("entries").toInt(), 2);
        QCOMPARE(status.json().value("next_update").toString(), QDate::currentDate().addDays(30).toString(Qt::ISODate));
        QVERIFY(QDateTime::fromString(status.json().value("imported_at").toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(status.json().value("imported_by").toString(), "operator:tester");
        QCOMPARE(status.json().value("stale").toBool(), false);
        QCOMPARE(scalar("SELECT actor FROM auth_events WHERE event = 'metadata_imported' ORDER BY id DESC LIMIT 1"),
                 "operator:tester");
        QCOMPARE(scalar("SELECT description FROM metadata_entries WHERE aaguid = decode('"
                        + QString::fromLatin1(kModel.toRfc4122().toHex()) + "', 'hex')"),
                 "CLI Test Key");
    }

    void refusesAndChangesNothing()
    {
        const QString before = snapshot();
        const QByteArray good = m_signer.sign(payload(6));
        QList<QByteArray> parts = good.split('.');

        // bad signature: the payload of another BLOB under this one's signature
        const QByteArray other = m_signer.sign(payload(7));
        expectRefused(import(parts[0] + '.' + other.split('.')[1] + '.' + parts[2]), "signature_invalid", before);
        // a chain to another root
        expectRefused(import(MdsTestSigner::create().sign(payload(6))), "chain_untrusted", before);
        // an expired signing certificate
        CertificateProfile expired;
        expired.notBefore = QDateTime::currentDateTimeUtc().addDays(-10);
        expired.notAfter = QDateTime::currentDateTimeUtc().addDays(-1);
        const MdsTestSigner old = MdsTestSigner::create("ES256", expired);
        expectRefused(import(old.sign(payload(6)), {}, {{"MDS_ROOT_CERT", file("old-root.pem", old.rootPem())}}),
                      "certificate_expired", before);
        // an algorithm MDS3 does not allow
        expectRefused(import(m_signer.sign(payload(6), {{"alg", "HS256"}})), "unsupported_algorithm", before);
        // not a JWS, and a JWS whose payload is not JSON
        expectRefused(import("<html>Service Unavailable</html>"), "malformed_jws", before);
        const QByteArray header = parts[0];
        const QByteArray notJson = QByteArray("not json").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const QByteArray input = header + '.' + notJson;
        expectRefused(import(input + '.' + m_signer.signature(input).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)),
                      "malformed_json", before);
        // a payload that breaks the format
        expectRefused(import(m_signer.sign(mdsPayload(6, QDate(2031, 1, 1), {QJsonObject{{"aaguid", "nope"}}}))),
                      "invalid_payload", before);
        // larger than the cap: refused before it is read
        expectRefused(import(QByteArray(20 * 1024 * 1024 + 1, 'A')), "too_large", before);
        // not above the imported no (5): the same, and an older one
        expectRefused(import(m_signer.sign(payload(5))), "not_newer", before);
        expectRefused(import(m_signer.sign(payload(4))), "not_newer", before);
        // MDS_ROOT_CERT without a certificate
        expectRefused(import(good, {}, {{"MDS_ROOT_CERT", file("empty.pem", "nothing here\n")}}), "root_unavailable",
                      before);
        // without MDS_ROOT_CERT the shipped FIDO root is used: our test chain does not lead there
        expectRefused(import(good, {}, {{"MDS_ROOT_CERT", QString()}}), "chain_untrusted", before);
    }

    void forceImportsAnOlderBlob()
    {
        const Run run = import(m_signer.sign(payload(3)), {"--force"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value("no").toInt(), 3);
        QCOMPARE(run.json().value("previous_no").toInt(), 5);
        QCOMPARE(cli({"status"}).json().value("no").toInt(), 3);
        QCOMPARE(scalar("SELECT details->>'forced' FROM auth_events WHERE event = 'metadata_imported' ORDER BY id DESC LIMIT 1"),
                 "true");
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("action");
        QTest::newRow("nothing") << QStringList{} << QString();
        QTest::newRow("unknown action") << QStringList{"fetch"} << QString();
        QTest::newRow("import without file") << QStringList{"import"} << QString();
        QTest::newRow("import two files") << QStringList{"import", "a", "b"} << QString();
        QTest::newRow("status with argument") << QStringList{"status", "x"} << QString();
        QTest::newRow("force on status") << QStringList{"status", "--force"} << QString();
        QTest::newRow("unknown option") << QStringList{"status", "--bogus"} << QString();
        QTest::newRow("bad METADATA_ACTION") << QStringList{"import", "blob.jwt"} << "delete";
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, action);
        const Run run = cli(arguments, action.isEmpty() ? QMap<QString, QString>{} : QMap<QString, QString>{{"METADATA_ACTION", action}});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        if (!action.isEmpty())
            QVERIFY2(run.err.contains("METADATA_ACTION"), qPrintable(run.err));
    }

    void metricsShowTheBlobAndItsStaleness()
    {
        DaemonProcess daemon;
        QVERIFY2(daemon.start(m_db.url(), {{"RATE_LIMIT", "off"}, {"SWEEP_INTERVAL", "1s"}}), qPrintable(daemon.failure()));
        HttpClient http(daemon.baseUrl());
        const auto waitFor = [&](const QByteArray &line) {
            const QDeadlineTimer deadline(10'000);
            QByteArray body;
            while (!deadline.hasExpired()) {
                body = http.get("/metrics").body;
                if (body.contains(line))
                    return true;
                QThread::msleep(100);
            }
            qWarning("no %s in:\n%s", line.constData(), body.constData());
            return false;
        };
        QVERIFY(waitFor("daarion_metadata_blob_number 3\n"));
        QVERIFY(waitFor("daarion_metadata_stale 0\n"));
        QVERIFY(waitFor("daarion_metadata_entries 2\n"));
        const QDateTime next(QDate::currentDate().addDays(30), QTime(0, 0), Qt::UTC);
        QVERIFY(waitFor("daarion_metadata_next_update_timestamp_seconds " + QByteArray::number(next.toSecsSinceEpoch()) + "\n"));

        // A BLOB whose nextUpdate has passed: the FIDO Alliance has published a newer one.
        const Run run = import(m_signer.sign(payload(8, QDate::currentDate().addDays(-2))));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value("stale").toBool(), true);
        QCOMPARE(cli({"status"}).json().value("stale").toBool(), true);
        QVERIFY(waitFor("daarion_metadata_blob_number 8\n"));
        QVERIFY(waitFor("daarion_metadata_stale 1\n"));
        QCOMPARE(daemon.stop(), 0);
    }

    void badMetadataSettingsStopTheDaemon_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("action") << "METADATA_ACTION" << "delete";
        QTest::newRow("root missing") << "MDS_ROOT_CERT" << "/nonexistent/root.pem";
        QTest::newRow("root without certificate") << "MDS_ROOT_CERT" << "EMPTY";
        QTest::newRow("policy") << "ATTESTATION_POLICY" << "strict";
        QTest::newRow("allow-list without list") << "ATTESTATION_POLICY" << "allow-list";
        QTest::newRow("aaguids") << "ALLOWED_AAGUIDS" << "not-a-uuid";
    }
    void badMetadataSettingsStopTheDaemon()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QMap<QString, QString> env{{"DATABASE_URL", m_db.url()}, {"PORT", QString::number(DaemonProcess::freePort())}};
        env.insert(variable, value == "EMPTY" ? file("no-cert.pem", "no certificate\n") : value);
        const DaemonProcess::Outcome outcome = DaemonProcess::runToExit(env, {});
        QVERIFY2(outcome.finished, "the daemon started despite a bad setting");
        QVERIFY2(outcome.exitCode == 2, qPrintable(outcome.output));
        QVERIFY2(outcome.output.contains(variable) || (variable == "ATTESTATION_POLICY" && outcome.output.contains("ATTESTATION")),
                 qPrintable(outcome.output));
    }
};

QTEST_GUILESS_MAIN(MetadataCli)
#include "tst_metadata_cli.moc"
