// The migrator against a real PostgreSQL: applies once, is idempotent,
// refuses an edited landed file, rolls back a failing file, and two
// migrators starting at once (threads and processes) do not collide.

#include "shared/store/database.h"
#include "shared/store/migrator.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

using namespace daarion::store;
using daarion::testing::race;
using daarion::testing::TestDatabase;

class MigratorTest : public QObject
{
    Q_OBJECT

private:
    static qint64 scalar(Database &db, const QString &sql)
    {
        auto result = db.run(sql);
        if (!result || !(*result)->next())
            return -1;
        return (*result)->value(0).toLongLong();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!TestDatabase::serverUrl().isEmpty(),
                 "DAARION_TEST_PG is not set: the store suites need a real PostgreSQL (run scripts/test)");
    }

    void embeddedMigrationsMatchTheFiles()
    {
        const QList<Migration> embedded = Migrator::embeddedMigrations();
        QVERIFY(!embedded.isEmpty());
        QCOMPARE(embedded.first().name, QStringLiteral("001_initial.sql"));
        QCOMPARE(embedded.first().version, 1);
        auto onDisk = Migrator::migrationsFromDirectory(qEnvironmentVariable("DAARION_SOURCE_DIR") +
                                                        QStringLiteral("/migrations"));
        QVERIFY2(onDisk.ok(), onDisk ? "" : qPrintable(onDisk.error().message));
        QCOMPARE(onDisk->size(), embedded.size());
        for (int i = 0; i < embedded.size(); ++i) {
            QCOMPARE(embedded.at(i).name, onDisk->at(i).name);
            QCOMPARE(embedded.at(i).checksum, onDisk->at(i).checksum);
            QCOMPARE(embedded.at(i).checksum, QCryptographicHash::hash(embedded.at(i).sql, QCryptographicHash::Sha256));
        }
    }

    void appliesOnceThenNothing()
    {
        TestDatabase test(TestDatabase::Schema::Empty);
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        Migrator migrator(test.database());
        auto current = migrator.isCurrent();
        QVERIFY(current.ok());
        QCOMPARE(*current, false);

        auto first = migrator.migrate();
        QVERIFY2(first.ok(), first ? "" : qPrintable(first.error().message));
        QCOMPARE(first->size(), Migrator::embeddedMigrations().size());
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM schema_migrations")),
                 qint64(first->size()));
        for (const char *table : {"users", "passkeys", "passkey_challenges", "sessions",
                                  "user_microdao_memberships", "api_keys", "auth_events"}) {
            QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table)), 0);
        }
        auto checksum = test.database().run(QStringLiteral("SELECT checksum FROM schema_migrations WHERE version = 1"));
        QVERIFY(checksum.ok() && (*checksum)->next());
        QCOMPARE((*checksum)->value(0).toByteArray(), Migrator::embeddedMigrations().first().checksum);

        auto second = migrator.migrate();
        QVERIFY(second.ok());
        QVERIFY(second->isEmpty());
        current = migrator.isCurrent();
        QVERIFY(current.ok());
        QCOMPARE(*current, true);
    }

    void editedLandedMigrationIsRefused()
    {
        TestDatabase test;
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        QList<Migration> edited = Migrator::embeddedMigrations();
        edited[0].sql += "\n-- edited after landing\n";
        edited[0].checksum = QCryptographicHash::hash(edited[0].sql, QCryptographicHash::Sha256);
        Migrator migrator(test.database(), edited);
        auto result = migrator.migrate();
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("001_initial.sql")), qPrintable(result.error().message));
        QVERIFY(result.error().message.contains(QStringLiteral("changed")));
        auto current = migrator.isCurrent();
        QVERIFY(current.ok());
        QCOMPARE(*current, false);
    }

    void failingMigrationLeavesNothing()
    {
        TestDatabase test;
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        QList<Migration> withBroken = Migrator::embeddedMigrations();
        Migration broken;
        broken.version = 999;
        broken.name = QStringLiteral("999_broken.sql");
        broken.sql = "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n";
        broken.checksum = QCryptographicHash::hash(broken.sql, QCryptographicHash::Sha256);
        withBroken << broken;
        Migrator migrator(test.database(), withBroken);
        auto result = migrator.migrate();
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("999_broken.sql")), qPrintable(result.error().message));
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM schema_migrations WHERE version = 999")), 0);
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'")), 0);
        // The connection is usable afterwards.
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT 7")), 7);
    }

    void concurrentThreadsDoNotCollide()
    {
        TestDatabase test(TestDatabase::Schema::Empty);
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        // Each contender migrates on a connection of its own; between them
        // every migration is applied once.
        const auto outcomes = race(
            4, [](int) {},
            [&](int) {
                Database db(test.parameters());
                auto result = Migrator(db).migrate();
                return result ? qMakePair(int(result->size()), QString())
                              : qMakePair(0, result.error().message);
            },
            std::chrono::seconds(60));
        int total = 0;
        for (const auto &[applied, error] : outcomes) {
            QVERIFY2(error.isEmpty(), qPrintable(error));
            total += applied;
        }
        QCOMPARE(total, int(Migrator::embeddedMigrations().size()));
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM schema_migrations")), qint64(total));
    }

    void concurrentProcessesDoNotCollide()
    {
        const QString daemon = qEnvironmentVariable("DAARION_AUTHD");
        QVERIFY2(QFile::exists(daemon), "DAARION_AUTHD does not name the daemon binary");
        TestDatabase test(TestDatabase::Schema::Empty);
        QVERIFY2(test.isReady(), qPrintable(test.error()));
        QList<QProcess *> processes;
        for (int i = 0; i < 3; ++i) {
            auto *process = new QProcess(this);
            process->setProcessChannelMode(QProcess::MergedChannels);
            process->start(daemon, {QStringLiteral("migrate"), QStringLiteral("--database-url"), test.url()});
            processes << process;
        }
        QStringList outputs;
        for (QProcess *process : processes) {
            QVERIFY(process->waitForFinished(60000));
            const QString output = QString::fromUtf8(process->readAll());
            QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0, qPrintable(output));
            outputs << output;
            delete process;
        }
        QCOMPARE(scalar(test.database(), QStringLiteral("SELECT count(*) FROM schema_migrations")),
                 qint64(Migrator::embeddedMigrations().size()));
        // Exactly one process applied 001; the others found nothing to do.
        QCOMPARE(outputs.filter(QStringLiteral("applied 001_initial.sql")).size(), 1);
    }

    void unreachableServerIsUnavailable()
    {
        ConnectionParameters nowhere;
        nowhere.host = QStringLiteral("127.0.0.1");
        nowhere.port = 1; // nothing listens there
        nowhere.user = QStringLiteral("postgres");
        nowhere.databaseName = QStringLiteral("none");
        nowhere.options = QStringLiteral("connect_timeout=2");
        Database db(nowhere);
        auto result = Migrator(db).migrate();
        QVERIFY(!result.ok());
        QCOMPARE(result.kind(), StoreErrorKind::Unavailable);
        auto current = Migrator(db).isCurrent();
        QVERIFY(!current.ok());
        QCOMPARE(current.kind(), StoreErrorKind::Unavailable);
    }
};

QTEST_GUILESS_MAIN(MigratorTest)
#include "tst_migrator.moc"
