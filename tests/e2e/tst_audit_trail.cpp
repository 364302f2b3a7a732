// The tamper-evident audit trail end to end: two daemons chain what their
// sign-ups and sign-ins write while other transactions commit out of order,
// every row exactly once; `daarion-authd audit verify|key|export|checkpoint`
// with their JSON and exit codes; an export line checked against its signed
// checkpoint with nothing but the public key; --follow tailing new
// checkpoints; and the daemon refusing bad audit settings by name.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "shared/audit/merkle_tree.h"
#include "shared/audit/signing_key.h"
#include "shared/store/audit_checkpoint_repository.h"
#include "shared/store/audit_repository.h"
#include "shared/store/transaction.h"
#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace daarion::testing;
using daarion::audit::AuditSigningKey;

namespace
{

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
    QString describe() const { return QString("exit %1\n%2\n%3").arg(exitCode).arg(out, err); }
};

Run cli(const QString &databaseUrl, const QStringList &arguments,
        const QMap<QString, QString> &env = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove("DATABASE_URL");
    environment.remove("AUDIT_SIGNING_KEY");
    if (!databaseUrl.isEmpty())
        environment.insert("DATABASE_URL", databaseUrl);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);
    process.start(DaemonProcess::binary(), arguments);
    if (!process.waitForFinished(60'000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

daarion::store::AuditEvent auditEvent(const QString &name, const QString &username)
{
    daarion::store::AuditEvent e;
    e.type = daarion::store::auditEventTypeFromName(name).value();
    e.username = username;
    e.actor = "service:test";
    return e;
}

// Every chained row id, once per checkpoint that recorded it, sorted.
QList<qint64> chainedIds(daarion::store::Database &database)
{
    QList<qint64> ids;
    auto checkpoints =
        daarion::store::AuditCheckpointRepository(database).checkpointsAfter(0, 10'000, true);
    if (!checkpoints)
        return ids;
    for (const auto &checkpoint : *checkpoints) {
        for (const auto &entry : daarion::audit::decodeManifest(checkpoint.manifest)
                                     .value_or(QList<daarion::audit::ManifestEntry>()))
            ids << entry.id;
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<qint64> allIds(daarion::store::Database &database)
{
    QList<qint64> ids;
    auto rows = database.run("SELECT id FROM auth_events ORDER BY id");
    while (rows && (*rows)->next())
        ids << (*rows)->value(0).toLongLong();
    return ids;
}

QString scalar(daarion::store::Database &database, const QString &sql)
{
    auto rows = database.run(sql);
    return rows && (*rows)->next() ? (*rows)->value(0).toString() : QString("<no row>");
}

} // namespace

class AuditTrail : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    const AuditSigningKey m_key = AuditSigningKey::generate();
    QString m_keyFile, m_publicFile, m_otherPublicFile;

    bool writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_keyFile = m_dir.filePath("audit.pem");
        m_publicFile = m_dir.filePath("audit.pub");
        m_otherPublicFile = m_dir.filePath("other.pub");
        QVERIFY(writeFile(m_keyFile, m_key.privatePem()));
        QVERIFY(writeFile(m_publicFile, m_key.publicKey().pem()));
        QVERIFY(writeFile(m_otherPublicFile, AuditSigningKey::generate().publicKey().pem()));
    }

    void twoDaemonsChainEveryRowExactlyOnce()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        const QMap<QString, QString> env{{"RATE_LIMIT", "off"},
                                         {"AUDIT_CHECKPOINT_INTERVAL", "150ms"},
                                         {"AUDIT_SIGNING_KEY", m_keyFile}};
        DaemonProcess first, second;
        QVERIFY2(first.start(db.url(), env), qPrintable(first.failure()));
        QVERIFY2(second.start(db.url(), env), qPrintable(second.failure()));

        // A transaction of a third writer stays open while the daemons work:
        // nothing written after it began may be chained before it ends.
        daarion::store::Database slow(db.parameters()), quick(db.parameters());
        daarion::store::Transaction slowTransaction(slow);
        QVERIFY(slowTransaction.begin().ok());
        auto slowRow =
            daarion::store::AuditRepository(slow).append(auditEvent("login_failure", "slow"));
        QVERIFY(slowRow.ok());
        const QString slowXid =
            scalar(slow, QString("SELECT xid FROM auth_events WHERE id = %1").arg(*slowRow));

        for (int i = 0; i < 6; ++i) {
            const QString name = QString("replica%1").arg(i);
            PasskeyUser user(first.baseUrl());
            const HttpResponse signedUp = user.signUp(name);
            QVERIFY2(signedUp.status == 200, qPrintable(signedUp.describe()));
            PasskeyUser elsewhere(second.baseUrl());
            elsewhere.authenticator().addCredential(
                user.authenticator().credentials().constFirst());
            QCOMPARE(elsewhere.signIn(name).status, 200);
            QCOMPARE(user.signIn(name).status, 200);
            if (i == 2) {
                // A fourth writer begins later and commits earlier.
                daarion::store::Transaction quickTransaction(quick);
                QVERIFY(quickTransaction.begin().ok());
                QVERIFY(daarion::store::AuditRepository(quick)
                            .append(auditEvent("logout", "quick"))
                            .ok());
                QVERIFY(quickTransaction.commit().ok());
            }
        }
        QTest::qWait(500); // a few checkpoint intervals
        const QString horizon =
            scalar(db.database(), "SELECT coalesce(max(xid_to)::text, '0') FROM audit_checkpoints");
        QVERIFY2(horizon.toULongLong() <= slowXid.toULongLong(),
                 qPrintable(
                     QString("chained up to %1 while %2 was still running").arg(horizon, slowXid)));
        QVERIFY(allIds(db.database()).size() > 12);
        QVERIFY(!chainedIds(db.database()).contains(allIds(db.database()).last()));

        QVERIFY(slowTransaction.commit().ok());
        QTRY_COMPARE_WITH_TIMEOUT(chainedIds(db.database()), allIds(db.database()), 30'000);
        const QList<qint64> chained = chainedIds(db.database());
        QCOMPARE(QSet<qint64>(chained.cbegin(), chained.cend()).size(), chained.size());

        const Run verified = cli(db.url(), {"audit", "verify", "--public-key", m_publicFile});
        QVERIFY2(verified.exitCode == 0, qPrintable(verified.describe()));
        const QJsonObject report = verified.json();
        QCOMPARE(report.value("intact").toBool(), true);
        QCOMPARE(report.value("rows_checked").toInteger(), chained.size());
        QCOMPARE(report.value("unsigned_checkpoints").toInteger(), 0);
        QCOMPARE(report.value("keys_pinned").toBool(), true);
        QVERIFY(report.value("summary").toString().startsWith("intact up to checkpoint "));
        QCOMPARE(first.stop(), 0);
        QCOMPARE(second.stop(), 0);
    }

    void theCommandLine()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        for (int i = 1; i <= 4; ++i)
            QVERIFY(daarion::store::AuditRepository(db.database())
                        .append(auditEvent("login_success", QString("user%1").arg(i)))
                        .ok());

        // key: the public half, PEM, as the file holds it.
        const Run key = cli({}, {"audit", "key"}, {{"AUDIT_SIGNING_KEY", m_keyFile}});
        QVERIFY2(key.exitCode == 0, qPrintable(key.describe()));
        QCOMPARE(key.out.toLatin1(), m_key.publicKey().pem());
        QCOMPARE(cli({}, {"audit", "key", "--signing-key", m_keyFile}).out.toLatin1(),
                 m_key.publicKey().pem());
        QCOMPARE(cli({}, {"audit", "key"}).exitCode, 2); // no key at all
        QCOMPARE(cli({}, {"audit", "key", "--signing-key", m_publicFile}).exitCode,
                 1); // not a private key

        // checkpoint: chains what is settled, prints what it made.
        QVERIFY(db.waitUntilNoWriters());
        const Run made = cli(db.url(), {"audit", "checkpoint", "--signing-key", m_keyFile});
        QVERIFY2(made.exitCode == 0, qPrintable(made.describe()));
        QCOMPARE(made.json().value("made").toArray().size(), 1);
        QCOMPARE(
            made.json().value("made").toArray().first().toObject().value("row_count").toInteger(),
            4);
        QCOMPARE(made.json().value("busy").toBool(), false);
        QCOMPARE(cli(db.url(), {"audit", "checkpoint", "--signing-key", m_keyFile})
                     .json()
                     .value("made")
                     .toArray()
                     .size(),
                 0);

        const Run intact = cli(db.url(), {"audit", "verify"});
        QVERIFY2(intact.exitCode == 0, qPrintable(intact.describe()));
        QCOMPARE(intact.json().value("intact_through").toInteger(), 1);
        QCOMPARE(intact.json().value("signers").toArray(),
                 QJsonArray{m_key.publicKey().fingerprint()});
        const Run foreign = cli(db.url(), {"audit", "verify", "--public-key", m_otherPublicFile});
        QCOMPARE(foreign.exitCode, 1);
        QCOMPARE(foreign.json()
                     .value("problems")
                     .toArray()
                     .first()
                     .toObject()
                     .value("problem")
                     .toString(),
                 "unknown_signer");

        // Usage: exit 2.
        QCOMPARE(cli(db.url(), {"audit"}).exitCode, 2);
        QCOMPARE(cli(db.url(), {"audit", "erase"}).exitCode, 2);
        QCOMPARE(cli(db.url(), {"audit", "verify", "--public-key", m_dir.filePath("missing.pub")})
                     .exitCode,
                 2);
        QCOMPARE(cli(db.url(), {"audit", "verify", "--public-key", m_keyFile}).exitCode,
                 2); // private, not public
        QCOMPARE(cli({}, {"audit", "verify"}).exitCode, 2);
        QCOMPARE(cli(db.url(), {"audit", "export", "--since", "yesterday"}).exitCode, 2);
        QCOMPARE(cli(db.url(), {"audit", "checkpoint", "--retention-days", "-3"}).exitCode, 2);
        // A database that does not answer: 1, and JSON that says so.
        const Run unreachable =
            cli("postgresql://postgres@127.0.0.1:1/nothing", {"audit", "verify"});
        QCOMPARE(unreachable.exitCode, 1);
        QCOMPARE(unreachable.json().value("error").toString(), "unavailable");

        // Someone with the owner's rights edits a row and deletes another.
        QCOMPARE(db.exec("ALTER TABLE auth_events DISABLE TRIGGER USER;"
                         "UPDATE auth_events SET username = 'mallory' WHERE id = 2;"
                         "DELETE FROM auth_events WHERE id = 4;"
                         "ALTER TABLE auth_events ENABLE TRIGGER USER"),
                 QString());
        const Run broken = cli(db.url(), {"audit", "verify", "--public-key", m_publicFile});
        QCOMPARE(broken.exitCode, 1);
        const QJsonObject report = broken.json();
        QCOMPARE(report.value("intact").toBool(), false);
        QCOMPARE(report.value("intact_through").toInteger(), 0);
        QCOMPARE(report.value("problem_count").toInteger(), 2);
        const QJsonArray problems = report.value("problems").toArray();
        QCOMPARE(problems.at(0).toObject().value("problem").toString(), "row_edited");
        QCOMPARE(problems.at(0).toObject().value("row_id").toInteger(), 2);
        QCOMPARE(problems.at(0).toObject().value("checkpoint").toInteger(), 1);
        QCOMPARE(problems.at(1).toObject().value("problem").toString(), "row_deleted");
        QCOMPARE(problems.at(1).toObject().value("row_id").toInteger(), 4);
        QVERIFY2(report.value("summary").toString().startsWith("broken: row 2 was edited"),
                 qPrintable(report.value("summary").toString()));
    }

    void anExportLineProvesItselfWithThePublicKeyAlone()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        for (int i = 1; i <= 5; ++i)
            QVERIFY(daarion::store::AuditRepository(db.database())
                        .append(auditEvent("login_success", QString("user%1").arg(i)))
                        .ok());
        QVERIFY(db.waitUntilNoWriters());
        QCOMPARE(cli(db.url(), {"audit", "checkpoint", "--signing-key", m_keyFile}).exitCode, 0);
        QVERIFY(daarion::store::AuditRepository(db.database())
                    .append(auditEvent("logout", "late"))
                    .ok());

        const Run exported = cli(db.url(), {"audit", "export", "--since", "2020-01-01T00:00:00Z"});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.describe()));
        const QStringList lines = exported.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5); // the unchained sixth row waits for its checkpoint
        auto publicKey = daarion::audit::AuditPublicKey::fromPem(m_key.publicKey().pem());
        QVERIFY(publicKey.ok());
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QJsonObject line = QJsonDocument::fromJson(lines.at(i).toUtf8()).object();
            QCOMPARE(line.value("id").toInteger(), i + 1);
            QCOMPARE(line.value("username").toString(), QString("user%1").arg(i + 1));
            const QJsonObject checkpoint = line.value("checkpoint").toObject();
            QCOMPARE(checkpoint.value("no").toInteger(), 1);
            // The row's leaf is in the tree whose root the checkpoint holds…
            QByteArray leaf(8, '\0');
            qToBigEndian<qint64>(line.value("id").toInteger(), leaf.data());
            leaf += QByteArray::fromHex(line.value("row_hash").toString().toLatin1());
            QList<QByteArray> path;
            for (const QJsonValue &hash : line.value("audit_path").toArray())
                path << QByteArray::fromHex(hash.toString().toLatin1());
            QVERIFY(daarion::audit::MerkleTree::verifyAuditPath(
                daarion::audit::MerkleTree::leafHash(leaf), line.value("leaf_index").toInteger(),
                checkpoint.value("row_count").toInteger(), path,
                QByteArray::fromHex(checkpoint.value("root_hash").toString().toLatin1())));
            // …and the checkpoint's hash carries the signature of the key.
            daarion::audit::Checkpoint fields;
            fields.no = checkpoint.value("no").toInteger();
            fields.createdAtMicros = checkpoint.value("created_at_us").toInteger();
            fields.xidFrom = checkpoint.value("xid_from").toString().toULongLong();
            fields.xidTo = checkpoint.value("xid_to").toString().toULongLong();
            fields.rowCount = checkpoint.value("row_count").toInteger();
            fields.firstId = checkpoint.value("first_id").toInteger();
            fields.lastId = checkpoint.value("last_id").toInteger();
            fields.rootHash =
                QByteArray::fromHex(checkpoint.value("root_hash").toString().toLatin1());
            fields.prevHash =
                QByteArray::fromHex(checkpoint.value("prev_hash").toString().toLatin1());
            const QByteArray hash = daarion::audit::checkpointHash(fields);
            QCOMPARE(hash.toHex(), checkpoint.value("hash").toString().toLatin1());
            QVERIFY(publicKey->verify(
                hash, QByteArray::fromHex(checkpoint.value("signature").toString().toLatin1())));
        }
        const Run recent = cli(db.url(), {"audit", "export", "--since", "2100-01-01T00:00:00Z"});
        QCOMPARE(recent.exitCode, 0);
        QCOMPARE(recent.out, QString());
    }

    void followTailsNewCheckpoints()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        QVERIFY(daarion::store::AuditRepository(db.database())
                    .append(auditEvent("login_success", "before"))
                    .ok());
        QVERIFY(db.waitUntilNoWriters());
        QCOMPARE(cli(db.url(), {"audit", "checkpoint"}).exitCode, 0);

        QProcess follow;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("DATABASE_URL", db.url());
        follow.setProcessEnvironment(environment);
        follow.start(DaemonProcess::binary(), {"audit", "export", "--follow"});
        QVERIFY(follow.waitForStarted());
        QByteArray output;
        const auto lines = [&] {
            output += follow.readAllStandardOutput();
            return output.count('\n');
        };
        QTRY_COMPARE_WITH_TIMEOUT(lines(), 1, 10'000);

        for (const char *name : {"after1", "after2"})
            QVERIFY(daarion::store::AuditRepository(db.database())
                        .append(auditEvent("logout", name))
                        .ok());
        QCOMPARE(lines(), 1); // not chained yet: not exported
        QVERIFY(db.waitUntilNoWriters());
        QCOMPARE(cli(db.url(), {"audit", "checkpoint"}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(lines(), 3, 10'000); // NOTIFY wakes it well before the 5 s poll
        QVERIFY(output.contains("\"username\":\"after1\""));
        QVERIFY(output.contains("\"username\":\"after2\""));
        QTest::qWait(200);
        QCOMPARE(lines(), 3); // each once
        follow.terminate();
        QVERIFY(follow.waitForFinished(10'000));
    }

    void badAuditSettingsStopTheDaemonByName_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("interval") << "AUDIT_CHECKPOINT_INTERVAL"
                                  << "often";
        QTest::newRow("interval too short") << "AUDIT_CHECKPOINT_INTERVAL"
                                            << "10ms";
        QTest::newRow("retention") << "AUDIT_RETENTION_DAYS"
                                   << "-1";
        QTest::newRow("key missing") << "AUDIT_SIGNING_KEY"
                                     << "/nonexistent/audit.pem";
        QTest::newRow("key not ed25519") << "AUDIT_SIGNING_KEY"
                                         << "public";
    }

    void badAuditSettingsStopTheDaemonByName()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        if (value == "public")
            value = m_publicFile;
        const DaemonProcess::Outcome outcome = DaemonProcess::runToExit(
            {{"DATABASE_URL", "postgresql://postgres@127.0.0.1:1/unused"}, {variable, value}}, {});
        QVERIFY(outcome.finished);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.output.contains(variable), qPrintable(outcome.output));
    }
};

QTEST_GUILESS_MAIN(AuditTrail)
#include "tst_audit_trail.moc"
