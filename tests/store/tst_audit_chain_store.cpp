// The audit chain on a real PostgreSQL: the insert trigger's seal equals
// the verifier's own hash for awkward values; checkpoints chain exactly the
// settled rows when transactions on several connections commit out of
// order (every row in exactly one checkpoint); one replica at a time; caps;
// retention deletes only with a checkpoint that records it; and verify names
// each kind of tampering done with the database owner's rights.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "shared/audit/chain_verifier.h"
#include "shared/audit/signing_key.h"
#include "shared/store/audit_chain_check.h"
#include "shared/store/audit_checkpoint_repository.h"
#include "shared/store/audit_repository.h"
#include "shared/store/transaction.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/manual_clock.h"
#include "tests/support/test_database.h"

#include <QRandomGenerator>
#include <QSet>
#include <QtTest>

using namespace daarion::store;
using namespace daarion::testing;
using daarion::audit::AuditSigningKey;
using daarion::audit::ChainReport;
using daarion::audit::Checkpoint;
using daarion::audit::SealedRow;

namespace
{

const QDateTime kStart = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

AuditEvent auditEvent(const QString &name, const QString &username = "kim")
{
    AuditEvent e;
    e.type = auditEventTypeFromName(name).value();
    e.username = username;
    e.actor = "service:test";
    return e;
}

QString problemsOf(const ChainReport &report)
{
    QStringList lines;
    for (const auto &problem : report.problems)
        lines << QString("%1 cp%2 row%3 other%4")
                     .arg(daarion::audit::chainProblemName(problem.kind))
                     .arg(problem.checkpoint)
                     .arg(problem.rowId)
                     .arg(problem.otherRowId);
    return lines.join("; ");
}

} // namespace

class AuditChainStoreTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Database &db() { return m_test->database(); }
    ManualClock m_clock{kStart}; // the checkpoints' clock: each run a minute later
    const AuditSigningKey m_key = AuditSigningKey::generate();

    CheckpointPolicy policy(const AuditSigningKey *key)
    {
        CheckpointPolicy p;
        p.signingKey = key;
        m_clock.advance(std::chrono::minutes(1));
        return p;
    }

    static CheckpointRun checkpoint(Database &database, const CheckpointPolicy &p)
    {
        auto run = AuditCheckpointRepository(database).makeCheckpoints(p);
        if (!run) {
            qWarning("%s", qPrintable(run.error().message));
            return {};
        }
        return *run;
    }

    // Every chained row id, once per checkpoint that recorded it, sorted.
    static QList<qint64> chainedIds(Database &database)
    {
        QList<qint64> ids;
        auto checkpoints = AuditCheckpointRepository(database).checkpointsAfter(0, 10'000, true);
        if (!checkpoints)
            return ids;
        for (const Checkpoint &c : *checkpoints) {
            for (const auto &entry : daarion::audit::decodeManifest(c.manifest)
                                         .value_or(QList<daarion::audit::ManifestEntry>()))
                ids << entry.id;
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    static QList<qint64> allIds(Database &database)
    {
        QList<qint64> ids;
        auto rows = database.run("SELECT id FROM auth_events ORDER BY id");
        while (rows && (*rows)->next())
            ids << (*rows)->value(0).toLongLong();
        return ids;
    }

    static ChainReport verify(Database &database, daarion::audit::VerifyPolicy p = {})
    {
        auto report = verifyAuditChain(database, p);
        if (!report) {
            qWarning("%s", qPrintable(report.error().message));
            return {};
        }
        return *report;
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        m_test->useClock(m_clock);
    }
    void cleanupTestCase() { m_test.reset(); }

    void theTriggersSealIsTheVerifiersHash()
    {
        AuditRepository audit(db());
        AuditEvent odd = auditEvent("login_failure", QString::fromUtf8("zoë \"q\" ,:- 日本"));
        odd.success = false;
        odd.errorCode = ""; // empty, not NULL
        odd.userId = QUuid::createUuid();
        odd.passkeyId = QUuid::createUuid();
        odd.sessionId = QUuid::createUuid();
        odd.credentialId = "Y3JlZA";
        odd.clientIp = "2001:db8::1";
        odd.userAgent = QString(600, QChar(0x00e9)); // cut to 512 characters, 1024 bytes
        odd.details = {
            {"reason", "it's \"quoted\"\n\ttab"},
            {"n", 3},
            {"nested", QVariantMap{{"z", 1.5}, {"a", QVariantList{1, "two", QVariant()}}}},
            {"emoji", QString::fromUtf8("🔑")}};
        QVERIFY_STORE(audit.append(odd));
        QVERIFY_STORE(audit.append(auditEvent("logout"))); // most columns NULL
        AuditEvent bare;
        bare.type = AuditEventType::Logout;
        QVERIFY_STORE(audit.append(bare));

        auto rows = AuditCheckpointRepository(db()).unchainedRows(0, 0, 100);
        QVERIFY_STORE(rows);
        QVERIFY(rows->size() >= 3);
        for (const SealedRow &row : *rows) {
            QVERIFY(row.xid.has_value());
            QCOMPARE(row.storedHash.size(), 32);
            QVERIFY2(daarion::audit::rowContentHash(row) == row.storedHash,
                     qPrintable(QString("row %1: %2").arg(row.id).arg(row.details)));
        }
        // What the INSERT says about the seal does not count.
        QCOMPARE(m_test->exec("INSERT INTO auth_events (event, outcome, xid, row_hash) VALUES "
                              "('x', 'success', '3',"
                              " sha256(''))"),
                 QString());
        QCOMPARE(
            countRows(db(),
                      "SELECT count(*) FROM auth_events WHERE xid = '3' OR row_hash = sha256('')"),
            0);
    }

    void checkpointsChainSettledRowsOnce()
    {
        AuditRepository audit(db());
        for (int i = 0; i < 5; ++i)
            QVERIFY_STORE(audit.append(auditEvent("login_success")));
        const AuditSigningKey &key = m_key;
        QVERIFY(m_test->waitUntilNoWriters());
        const CheckpointRun first = checkpoint(db(), policy(&key));
        QVERIFY(!first.lockBusy);
        QVERIFY(first.caughtUp);
        QVERIFY(!first.made.isEmpty());
        QVERIFY(first.unmatchedRows.isEmpty());
        QCOMPARE(chainedIds(db()), allIds(db()));

        QVERIFY(checkpoint(db(), policy(&key)).made.isEmpty()); // nothing new: no empty checkpoint
        QVERIFY_STORE(audit.append(auditEvent("logout")));
        QVERIFY(m_test->waitUntilNoWriters());
        const CheckpointRun second = checkpoint(db(), policy(&key));
        QCOMPARE(second.made.size(), 1);
        QCOMPARE(second.made.first().rowCount, 1);
        QCOMPARE(second.made.first().prevHash, first.made.last().hash);
        QCOMPARE(second.made.first().xidFrom, first.made.last().xidTo);
        QCOMPARE(chainedIds(db()), allIds(db()));

        const ChainReport report = verify(db(), {{key.publicKey()}});
        QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
        QCOMPARE(report.rowsChecked, allIds(db()).size());
        QCOMPARE(report.rowsPending, 0);
        QCOMPARE(report.intactThrough, second.made.first().no);
        // The chain itself is append-only too.
        for (const QString &sql :
             {QString("UPDATE audit_checkpoints SET row_count = 0"),
              QString("DELETE FROM audit_checkpoints"), QString("TRUNCATE audit_checkpoints")})
            QVERIFY2(m_test->exec(sql).contains("append-only"), qPrintable(sql));
    }

    void outOfOrderCommitsAreChainedExactlyOnce()
    {
        // Three connections, as three replicas' requests: ids and xids are
        // taken in one order, commits happen in another.
        Database a(m_test->parameters()), b(m_test->parameters()), c(m_test->parameters());
        const qint64 before = chainedIds(db()).size();

        Transaction ta(a);
        QVERIFY_STORE(ta.begin());
        auto ra = AuditRepository(a).append(auditEvent("login_success", "first-begun"));
        QVERIFY_STORE(ra);
        Transaction tb(b);
        QVERIFY_STORE(tb.begin());
        auto rb = AuditRepository(b).append(auditEvent("login_success", "second-begun"));
        QVERIFY_STORE(rb);
        QVERIFY_STORE(tb.commit()); // b commits first, with the later id and xid

        checkpoint(db(), policy(&m_key));
        QVERIFY2(!chainedIds(db()).contains(*rb),
                 "a row above a running transaction's xid is not settled yet");
        QCOMPARE(chainedIds(db()).size(), before);
        ChainReport pending = verify(db());
        QVERIFY(pending.intact());
        QCOMPARE(pending.rowsPending, 1); // rb is visible, unchained; ra is not committed

        Transaction tc(c);
        QVERIFY_STORE(tc.begin());
        auto rc = AuditRepository(c).append(auditEvent("login_success", "third-begun"));
        QVERIFY_STORE(rc);
        QVERIFY_STORE(ta.commit()); // a commits while c still runs

        // (Retried: autovacuum may write in this database for a moment too.)
        const auto chainedNow = [&] {
            checkpoint(db(), policy(&m_key));
            return chainedIds(db());
        };
        QTRY_VERIFY_WITH_TIMEOUT(chainedNow().contains(*ra) && chainedIds(db()).contains(*rb),
                                 10'000);
        QVERIFY(!chainedIds(db()).contains(*rc));

        QVERIFY_STORE(tc.commit());
        QVERIFY(m_test->waitUntilNoWriters());
        checkpoint(db(), policy(&m_key));
        QList<qint64> chained = chainedIds(db());
        QCOMPARE(QSet<qint64>(chained.cbegin(), chained.cend()).size(),
                 chained.size());        // none twice
        QCOMPARE(chained, allIds(db())); // none skipped
        QVERIFY(verify(db()).intact());
    }

    void anotherDatabasesTransactionDoesNotHoldTheChainBack()
    {
        // Transaction ids are shared by the whole cluster; a writer in
        // another database (here the server's own) cannot add rows here.
        auto server = parseDatabaseUrl(TestDatabase::serverUrl());
        QVERIFY_STORE(server);
        Database elsewhere(*server);
        Transaction foreign(elsewhere);
        QVERIFY_STORE(foreign.begin());
        QVERIFY_STORE(elsewhere.run("SELECT pg_current_xact_id()")); // now it holds an id
        auto row = AuditRepository(db()).append(auditEvent("logout", "while-elsewhere-runs"));
        QVERIFY_STORE(row);
        QVERIFY(m_test->waitUntilNoWriters());
        checkpoint(db(), policy(&m_key));
        QVERIFY(chainedIds(db()).contains(*row));
    }

    void randomInterleavingsNeverSkipOrRepeatARow()
    {
        // Many rounds of open transactions that write, commit or roll back
        // in random order while checkpoints are made in between.
        QRandomGenerator random(20261204);
        std::vector<std::unique_ptr<Database>> connections;
        std::vector<std::unique_ptr<Transaction>> open(4);
        for (int i = 0; i < 4; ++i)
            connections.push_back(std::make_unique<Database>(m_test->parameters()));
        for (int step = 0; step < 160; ++step) {
            const int i = int(random.bounded(4));
            const int action = int(random.bounded(5));
            if (!open[i]) {
                open[i] = std::make_unique<Transaction>(*connections[i]);
                QVERIFY_STORE(open[i]->begin());
            }
            if (action <= 1) {
                QVERIFY_STORE(AuditRepository(*connections[i]).append(auditEvent("login_success")));
            } else if (action == 2) {
                QVERIFY_STORE(open[i]->commit());
                open[i].reset();
            } else if (action == 3) {
                open[i].reset(); // rolled back: its rows never exist
            } else {
                checkpoint(db(), policy(&m_key));
            }
        }
        for (auto &transaction : open) {
            if (transaction)
                QVERIFY_STORE(transaction->commit());
        }
        QVERIFY(m_test->waitUntilNoWriters());
        checkpoint(db(), policy(&m_key));
        const QList<qint64> chained = chainedIds(db());
        QCOMPARE(QSet<qint64>(chained.cbegin(), chained.cend()).size(), chained.size());
        QCOMPARE(chained, allIds(db()));
        QVERIFY(verify(db()).intact());
    }

    void oneReplicaAtATime()
    {
        QVERIFY_STORE(AuditRepository(db()).append(auditEvent("logout")));
        Database other(m_test->parameters());
        auto held =
            other.run("SELECT pg_advisory_lock(?::bigint)", {AuditCheckpointRepository::lockKey});
        QVERIFY_STORE(held);
        const CheckpointRun busy = checkpoint(db(), policy(&m_key));
        QVERIFY(busy.lockBusy);
        QVERIFY(busy.made.isEmpty());
        QVERIFY_STORE(other.run("SELECT pg_advisory_unlock(?::bigint)",
                                {AuditCheckpointRepository::lockKey}));
        QVERIFY(m_test->waitUntilNoWriters());
        QCOMPARE(checkpoint(db(), policy(&m_key)).made.size(), 1);
    }

    void aCapSplitsBetweenTransactionsNeverInsideOne()
    {
        for (int i = 0; i < 7; ++i)
            QVERIFY_STORE(AuditRepository(db()).append(auditEvent("login_success")));
        {
            Transaction big(db());
            QVERIFY_STORE(big.begin());
            for (int i = 0; i < 5; ++i)
                QVERIFY_STORE(AuditRepository(db()).append(auditEvent("logout")));
            QVERIFY_STORE(big.commit());
        }
        QVERIFY(m_test->waitUntilNoWriters());
        CheckpointPolicy capped = policy(&m_key);
        capped.maxRowsPerCheckpoint = 3;
        capped.maxCheckpointsPerRun = 2;
        const CheckpointRun partial = checkpoint(db(), capped);
        QCOMPARE(partial.made.size(), 2);
        QVERIFY(!partial.caughtUp);
        capped.maxCheckpointsPerRun = 20;
        const CheckpointRun rest = checkpoint(db(), capped);
        QVERIFY(rest.caughtUp);
        QList<qint64> sizes;
        for (const Checkpoint &c : partial.made + rest.made)
            sizes << c.rowCount;
        QCOMPARE(sizes,
                 (QList<qint64>{3, 3, 1, 5})); // the five rows of one transaction stay together
        QCOMPARE(chainedIds(db()), allIds(db()));
        QVERIFY(verify(db()).intact());
    }

    void retentionDeletesOnlyWithACheckpointThatRecordsIt()
    {
        QVERIFY_STORE(AuditRepository(db()).append(auditEvent("login_success")));
        QVERIFY(m_test->waitUntilNoWriters());
        checkpoint(db(), policy(&m_key));
        const qint64 oldRows = allIds(db()).size();
        auto last = AuditCheckpointRepository(db()).latest();
        QVERIFY_STORE(last);
        const qint64 oldThrough = (*last)->no;

        // No retention setting, or not old enough: nothing goes.
        CheckpointPolicy soon = policy(&m_key);
        soon.retentionDays = 30;
        m_clock.advance(std::chrono::days(29));
        QVERIFY(checkpoint(db(), soon).made.isEmpty());
        QCOMPARE(allIds(db()).size(), oldRows);

        QVERIFY_STORE(AuditRepository(db()).append(auditEvent("login_success", "recent")));
        QVERIFY(m_test->waitUntilNoWriters());
        CheckpointPolicy later = policy(&m_key);
        later.retentionDays = 30;
        m_clock.advance(std::chrono::days(2)); // the earlier checkpoints are 31 days old now
        const CheckpointRun pruned = checkpoint(db(), later);
        QCOMPARE(pruned.made.size(), 1);
        QCOMPARE(pruned.made.first().prunedThrough, oldThrough);
        QCOMPARE(pruned.prunedRows, oldRows);
        QCOMPARE(allIds(db()).size(), 1); // only the recent row is left
        const ChainReport report = verify(db());
        QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
        QCOMPARE(report.prunedThrough, oldThrough);

        // Any other delete is still refused, also in a transaction that
        // wrote a checkpoint without a retention record.
        const QString refused = m_test->exec("DELETE FROM auth_events");
        QVERIFY2(refused.contains("append-only"), qPrintable(refused));
        QVERIFY_STORE(AuditRepository(db()).append(auditEvent("logout")));
        const QString fakeCheckpoint = "INSERT INTO audit_checkpoints (no, created_at, xid_from, "
                                       "xid_to, row_count, root_hash, manifest,"
                                       " pruned_through, prev_hash, hash) VALUES (?::bigint, "
                                       "now(), '0', '0', 0, sha256(''), '', ?::bigint,"
                                       " sha256(''), sha256(?::bytea))";
        {
            Transaction sneaky(db());
            QVERIFY_STORE(sneaky.begin());
            QVERIFY_STORE(
                db().run(fakeCheckpoint,
                         {1000, QVariant(QMetaType::fromType<qlonglong>()), QByteArray("a")}));
            QCOMPARE_KIND(db().run("DELETE FROM auth_events"), StoreErrorKind::Failed);
        }
        // A retention record licenses only its own transaction's delete.
        QVERIFY_STORE(db().run(fakeCheckpoint, {1001, qint64(1000), QByteArray("b")}));
        QVERIFY(m_test->exec("DELETE FROM auth_events").contains("append-only"));
        QCOMPARE(allIds(db()).size(), 2);
    }

    // Each kind of tampering in a database of its own, done the way someone
    // with the owner's rights would: around the triggers.
    void verifyNamesEachTampering_data()
    {
        QTest::addColumn<QString>("tampering");
        QTest::addColumn<QString>("expected");
        QTest::newRow("edit a row") << "UPDATE auth_events SET username = 'mallory' WHERE id = 3"
                                    << "row_edited cp1 row3 other0";
        QTest::newRow("edit a row and its seal")
            << "UPDATE auth_events SET username = 'mallory' WHERE id = 3;"
               "UPDATE auth_events SET row_hash = audit_row_hash(id, xid, occurred_at, event, "
               "outcome, error_code,"
               " user_id, username, passkey_id, credential_id, session_id, client_ip, user_agent, "
               "actor, details)"
               " WHERE id = 3"
            << "row_edited cp1 row3 other0";
        QTest::newRow("delete a row") << "DELETE FROM auth_events WHERE id = 2"
                                      << "row_deleted cp1 row2 other0";
        QTest::newRow("insert a row")
            << "INSERT INTO auth_events (id, event, outcome, username, xid, row_hash) VALUES (100, "
               "'login_success',"
               " 'success', 'ghost', (SELECT xid FROM auth_events WHERE id = 2), sha256(''));"
               "UPDATE auth_events SET row_hash = audit_row_hash(id, xid, occurred_at, event, "
               "outcome, error_code,"
               " user_id, username, passkey_id, credential_id, session_id, client_ip, user_agent, "
               "actor, details)"
               " WHERE id = 100"
            << "row_inserted cp1 row100 other0";
        QTest::newRow("reorder two rows") << "UPDATE auth_events SET id = -1 WHERE id = 1;"
                                             "UPDATE auth_events SET id = 1 WHERE id = 4;"
                                             "UPDATE auth_events SET id = 4 WHERE id = -1"
                                          << "row_moved cp1 row1 other4; row_moved cp1 row4 other1";
        QTest::newRow("forge a checkpoint")
            << "UPDATE audit_checkpoints SET row_count = 3 WHERE no = 1"
            << "checkpoint_altered cp1 row0 other0; manifest_altered cp1 row0 other0";
        QTest::newRow("replace a checkpoint's signature")
            << "UPDATE audit_checkpoints SET signature = (SELECT signature FROM audit_checkpoints "
               "WHERE no = 2)"
               " WHERE no = 1"
            << "signature_invalid cp1 row0 other0";
        QTest::newRow("delete the first checkpoint")
            << "DELETE FROM audit_checkpoints WHERE no = 1"
            << "checkpoint_missing cp2 row0 other0; row_inserted cp2 row1 other0; row_inserted cp2 "
               "row2 other0; "
               "row_inserted cp2 row3 other0; row_inserted cp2 row4 other0";
        QTest::newRow("edit a row before it is chained")
            << "UPDATE auth_events SET event = 'login_success' WHERE id = 6"
            << "row_edited cp0 row6 other0";
    }

    void verifyNamesEachTampering()
    {
        QFETCH(QString, tampering);
        QFETCH(QString, expected);
        TestDatabase test;
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        Database &database = test.database();
        const AuditSigningKey key = AuditSigningKey::generate();
        // Rows 1-4 in checkpoint 1, row 5 in checkpoint 2, row 6 not chained.
        for (int i = 1; i <= 4; ++i)
            QVERIFY_STORE(AuditRepository(database).append(
                auditEvent(i % 2 ? "login_success" : "logout", QString("user%1").arg(i))));
        QVERIFY(test.waitUntilNoWriters());
        QCOMPARE(checkpoint(database, policy(&key)).made.size(), 1);
        QVERIFY_STORE(AuditRepository(database).append(auditEvent("logout", "user5")));
        QVERIFY(test.waitUntilNoWriters());
        QCOMPARE(checkpoint(database, policy(&key)).made.size(), 1);
        QVERIFY_STORE(AuditRepository(database).append(auditEvent("logout", "user6")));
        QCOMPARE(allIds(database), (QList<qint64>{1, 2, 3, 4, 5, 6}));
        QVERIFY(verify(database, {{key.publicKey()}}).intact());

        const QString sql = "ALTER TABLE auth_events DISABLE TRIGGER USER;"
                            "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;" +
                            tampering +
                            ";ALTER TABLE auth_events ENABLE TRIGGER USER;"
                            "ALTER TABLE audit_checkpoints ENABLE TRIGGER USER";
        QCOMPARE(test.exec(sql), QString());

        const ChainReport report = verify(database, {{key.publicKey()}});
        QVERIFY(!report.intact());
        QCOMPARE(problemsOf(report), expected);
    }
};

QTEST_GUILESS_MAIN(AuditChainStoreTest)
#include "tst_audit_chain_store.moc"
