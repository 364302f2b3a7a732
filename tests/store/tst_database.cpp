// The connection layer: DATABASE_URL parsing, bound values (NUL refused),
// error kinds, the transaction guard, script splitting, text[] values, and
// recovery after PostgreSQL terminates the connection.

#include "shared/store/database.h"
#include "shared/store/database_url.h"
#include "shared/store/sql_script.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/test_database.h"

#include <QSqlQuery>
#include <QTest>

using namespace daarion::store;
using namespace daarion::testing;

class DatabaseTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;

    Database &db() { return m_test->database(); }

    qint64 backendPid()
    {
        return countRows(db(), QStringLiteral("SELECT pg_backend_pid()"));
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        QVERIFY(m_test->exec(QStringLiteral("CREATE TABLE scratch (id int PRIMARY KEY, label text, tags text[])")).isEmpty());
    }

    void cleanupTestCase() { m_test.reset(); }

    void parsesUrls()
    {
        auto full = parseDatabaseUrl(QStringLiteral("postgresql://al%40ice:p%3Ass@db.example:6543/auth_db?sslmode=require"));
        QVERIFY_STORE(full);
        QCOMPARE(full->user, QStringLiteral("al@ice"));
        QCOMPARE(full->password, QStringLiteral("p:ss"));
        QCOMPARE(full->host, QStringLiteral("db.example"));
        QCOMPARE(full->port, 6543);
        QCOMPARE(full->databaseName, QStringLiteral("auth_db"));
        QVERIFY(full->options.contains(QStringLiteral("sslmode=require")));
        QVERIFY(!full->redacted().contains(QStringLiteral("p:ss")));

        auto socket = parseDatabaseUrl(QStringLiteral("postgres://postgres@/daarion?host=/var/run/postgresql"));
        QVERIFY_STORE(socket);
        QCOMPARE(socket->host, QStringLiteral("/var/run/postgresql"));
        QCOMPARE(socket->port, 5432);
        QCOMPARE(socket->databaseName, QStringLiteral("daarion"));

        auto ipv6 = parseDatabaseUrl(QStringLiteral("postgresql://u@[::1]:5433/d"));
        QVERIFY_STORE(ipv6);
        QCOMPARE(ipv6->host, QStringLiteral("::1"));

        for (const char *bad : {"", "mysql://u@h/d", "postgresql://u@h:99999/d", "postgresql://u@h/",
                                "postgresql://u@h/d?sslmode=require%20host%3Devil", "postgresql://u@h/d?typo=1",
                                "postgresql://u@h/d/e"}) {
            auto parsed = parseDatabaseUrl(QString::fromLatin1(bad));
            QVERIFY2(!parsed.ok(), bad);
            QCOMPARE(parsed.kind(), StoreErrorKind::InvalidInput);
            QVERIFY(parsed.error().message.startsWith(QStringLiteral("DATABASE_URL")));
        }
    }

    void splitsScripts()
    {
        const QString script = QStringLiteral(
            "-- comment; with a semicolon\n"
            "CREATE TABLE a (x text DEFAULT 'it''s; fine');\n"
            "/* block; /* nested; */ still */ SELECT E'\\'; x';\n"
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n"
            "SELECT $$;$$, \"odd;name\" FROM t;\n"
            "-- trailing comment only\n");
        const QStringList statements = splitSqlScript(script);
        QCOMPARE(statements.size(), 4);
        QVERIFY(statements.at(0).endsWith(QStringLiteral("'it''s; fine')")));
        QVERIFY(statements.at(1).endsWith(QStringLiteral("SELECT E'\\'; x'")));
        QVERIFY(statements.at(2).contains(QStringLiteral("$body$ SELECT 1; $body$")));
        QVERIFY(statements.at(3).contains(QStringLiteral("\"odd;name\"")));
    }

    void textArraysRoundTrip()
    {
        const QStringList tags{QStringLiteral("usb"), QStringLiteral("with space"), QStringLiteral("q\"uote"),
                               QStringLiteral("back\\slash"), QStringLiteral("NULL"), QStringLiteral("")};
        auto inserted = db().run(QStringLiteral("INSERT INTO scratch (id, tags) VALUES (1, ?::text[])"),
                                 {textArrayLiteral(tags)});
        QVERIFY_STORE(inserted);
        auto read = db().run(QStringLiteral("SELECT tags, cardinality(tags) FROM scratch WHERE id = 1"));
        QVERIFY_STORE(read);
        QVERIFY((*read)->next());
        QCOMPARE((*read)->value(1).toInt(), tags.size());
        QCOMPARE(parseTextArray(textAt(**read, 0)), tags);
        QCOMPARE(parseTextArray(QStringLiteral("{}")), QStringList());
    }

    void nulByteIsRefusedBeforeBinding()
    {
        QString evil = QStringLiteral("abc");
        evil.append(QChar(0));
        evil.append(QStringLiteral("def"));
        auto result = db().run(QStringLiteral("INSERT INTO scratch (id, label) VALUES (2, ?)"), {evil});
        QCOMPARE_KIND(result, StoreErrorKind::InvalidInput);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id = 2")), 0);
    }

    void valuesAreBoundNotSpliced()
    {
        const QString hostile = QStringLiteral("x'); DROP TABLE scratch; --");
        auto inserted = db().run(QStringLiteral("INSERT INTO scratch (id, label) VALUES (3, ?)"), {hostile});
        QVERIFY_STORE(inserted);
        auto read = db().run(QStringLiteral("SELECT label FROM scratch WHERE id = ?::integer"), {3});
        QVERIFY_STORE(read);
        QVERIFY((*read)->next());
        QCOMPARE((*read)->value(0).toString(), hostile);
    }

    void errorKinds()
    {
        auto duplicate = db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (3)"));
        QCOMPARE_KIND(duplicate, StoreErrorKind::Conflict);
        QCOMPARE(duplicate.error().sqlState, QStringLiteral("23505"));
        auto badUuid = db().run(QStringLiteral("SELECT ?::uuid"), {QStringLiteral("not-a-uuid")});
        QCOMPARE_KIND(badUuid, StoreErrorKind::InvalidInput);
        auto badSql = db().run(QStringLiteral("SELECT FROM WHERE"));
        QCOMPARE_KIND(badSql, StoreErrorKind::Failed);
        // The connection still works after each failure.
        QCOMPARE(countRows(db(), QStringLiteral("SELECT 1")), 1);
    }

    void transactionRollsBackUnlessCommitted()
    {
        {
            Transaction transaction(db());
            QVERIFY_STORE(transaction.begin());
            QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (10)")));
            // no commit: the destructor rolls back
        }
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id = 10")), 0);
        {
            Transaction transaction(db());
            QVERIFY_STORE(transaction.begin());
            QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (11)")));
            QVERIFY_STORE(transaction.commit());
        }
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id = 11")), 1);
    }

    void innerGuardJoinsAndCanSpoilTheOuter()
    {
        {
            Transaction outer(db());
            QVERIFY_STORE(outer.begin());
            QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (20)")));
            {
                Transaction inner(db());
                QVERIFY_STORE(inner.begin());
                QVERIFY(db().inTransaction());
                QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (21)")));
                QVERIFY_STORE(inner.commit()); // joined: nothing committed yet
            }
            QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id IN (20, 21)")), 2);
            outer.rollback();
        }
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id IN (20, 21)")), 0);
        {
            Transaction outer(db());
            QVERIFY_STORE(outer.begin());
            QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (22)")));
            {
                Transaction inner(db());
                QVERIFY_STORE(inner.begin());
                // ends without commit: the whole transaction must not commit
            }
            auto committed = outer.commit();
            QVERIFY(!committed.ok());
        }
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id = 22")), 0);
        QVERIFY(!db().inTransaction());
    }

    void recoversAfterTheBackendIsTerminated()
    {
        const qint64 before = backendPid();
        QVERIFY(before > 0);
        // Another connection kills ours, as a PostgreSQL restart or failover would.
        QVERIFY(m_test->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(before)).isEmpty());
        // A prepared statement used before the loss, run again: reconnects,
        // prepares again and succeeds.
        auto read = db().run(QStringLiteral("SELECT label FROM scratch WHERE id = ?::integer"), {3});
        QVERIFY_STORE(read);
        QVERIFY((*read)->next());
        const qint64 after = backendPid();
        QVERIFY(after > 0);
        QVERIFY(after != before);
    }

    void transactionAfterTerminationReconnects()
    {
        const qint64 before = backendPid();
        QVERIFY(m_test->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(before)).isEmpty());
        Transaction transaction(db());
        QVERIFY_STORE(transaction.begin());
        QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (30)")));
        QVERIFY_STORE(transaction.commit());
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id = 30")), 1);
    }

    void lossInsideATransactionIsUnavailableThenRecovers()
    {
        {
            Transaction transaction(db());
            QVERIFY_STORE(transaction.begin());
            QVERIFY_STORE(db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (40)")));
            QVERIFY(m_test->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(backendPid())).isEmpty());
            auto lost = db().run(QStringLiteral("INSERT INTO scratch (id) VALUES (41)"));
            QCOMPARE_KIND(lost, StoreErrorKind::Unavailable);
        }
        QVERIFY(!db().inTransaction());
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM scratch WHERE id IN (40, 41)")), 0);
    }

    void unreachableIsUnavailable()
    {
        ConnectionParameters nowhere = m_test->parameters();
        nowhere.host = QStringLiteral("127.0.0.1");
        nowhere.port = 1;
        Database unreachable(nowhere);
        auto result = unreachable.run(QStringLiteral("SELECT 1"));
        QCOMPARE_KIND(result, StoreErrorKind::Unavailable);
        QCOMPARE_KIND(unreachable.ping(), StoreErrorKind::Unavailable);
        QVERIFY_STORE(db().ping());
    }

    void perThreadConnectionsAreDistinct()
    {
        Database &mine = Database::forThisThread(m_test->parameters());
        QCOMPARE(&mine, &Database::forThisThread(m_test->parameters()));
        qint64 otherPid = 0;
        Database *other = nullptr;
        QThread *thread = QThread::create([&] {
            other = &Database::forThisThread(m_test->parameters());
            otherPid = countRows(*other, QStringLiteral("SELECT pg_backend_pid()"));
        });
        thread->start();
        QVERIFY(thread->wait(20000));
        delete thread;
        QVERIFY(otherPid > 0);
        QVERIFY(otherPid != countRows(mine, QStringLiteral("SELECT pg_backend_pid()")));
        QVERIFY(other != &mine);
    }
};

QTEST_GUILESS_MAIN(DatabaseTest)
#include "tst_database.moc"
