#include "tests/support/test_database.h"

#include "shared/store/migrator.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <atomic>

namespace daarion::testing {

namespace {
std::atomic<int> databaseCounter{0};

QString urlWithDatabase(const QString &serverUrl, const QString &name)
{
    QUrl url(serverUrl);
    url.setPath(QLatin1Char('/') + name);
    return url.toString();
}
} // namespace

QString TestDatabase::serverUrl()
{
    return qEnvironmentVariable("DAARION_TEST_PG");
}

TestDatabase::TestDatabase(Schema schema)
{
    const QString server = serverUrl();
    if (server.isEmpty()) {
        m_error = QStringLiteral("DAARION_TEST_PG is not set: this suite needs a PostgreSQL server "
                                 "(scripts/test starts one; or scripts/pg start DIR PORT and export its URL)");
        return;
    }
    auto serverParameters = store::parseDatabaseUrl(server);
    if (!serverParameters) {
        m_error = serverParameters.error().message;
        return;
    }
    m_server = *serverParameters;
    // Unique across parallel suites and repeated runs; only [a-z0-9_], so it
    // is safe as an identifier.
    m_name = QStringLiteral("daarion_test_%1_%2_%3")
                 .arg(QCoreApplication::applicationPid())
                 .arg(++databaseCounter)
                 .arg(QRandomGenerator::system()->generate() % 1000000);
    {
        store::Database admin(m_server);
        if (auto created = admin.runScript(QStringLiteral("CREATE DATABASE ") + m_name); !created) {
            m_error = QStringLiteral("CREATE DATABASE failed: ") + created.error().message;
            return;
        }
    }
    m_url = urlWithDatabase(server, m_name);
    m_parameters = m_server;
    m_parameters.databaseName = m_name;
    if (schema == Schema::Migrated) {
        store::Migrator migrator(database());
        auto applied = migrator.migrate();
        if (!applied) {
            m_error = QStringLiteral("migration failed: ") + applied.error().message;
            return;
        }
    }
    m_ready = true;
}

TestDatabase::~TestDatabase()
{
    if (m_name.isEmpty() || m_url.isEmpty())
        return;
    store::Database::releaseThisThread();
    store::Database admin(m_server);
    // FORCE: connections other threads or processes left open are terminated.
    (void)admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS ") + m_name + QStringLiteral(" WITH (FORCE)"));
}

store::Database &TestDatabase::database() const
{
    return store::Database::forThisThread(m_parameters);
}

QString TestDatabase::exec(const QString &sql) const
{
    store::Database admin(m_parameters);
    auto done = admin.runScript(sql);
    return done ? QString() : done.error().message;
}

bool TestDatabase::waitUntilNoWriters(int timeoutMs) const
{
    store::Database admin(m_parameters);
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        auto writers = admin.run(QStringLiteral(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"));
        if (writers && (*writers)->next() && (*writers)->value(0).toLongLong() == 0)
            return true;
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
}

} // namespace daarion::testing
