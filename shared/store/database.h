#pragma once
// One PostgreSQL connection, owned by one thread (QtSql connections must not
// cross threads). Statements are prepared once per connection and reused;
// a dropped connection is reopened and its statements prepared again on the
// next call. Values are always bound, never spliced into SQL.
//
// Typical use on a worker thread:
//     Database &db = Database::forThisThread(parameters);
//     UserRepository users(db);
//     auto user = users.findByUsername(name);

#include "shared/store/database_url.h"
#include "shared/store/store_error.h"

#include <QDateTime>

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <memory>

class QSqlQuery;

namespace daarion::store {

class Database
{
public:
    // Does not connect yet: the first call does (or open()).
    explicit Database(ConnectionParameters parameters);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // This thread's connection for these parameters, created on first use
    // and closed when the thread ends (inside the thread, before
    // QThread::wait() returns; the main thread's when the application
    // object is destroyed).
    static Database &forThisThread(const ConnectionParameters &parameters);
    // Closes every connection this thread holds through forThisThread() now.
    static void releaseThisThread();

    const ConnectionParameters &parameters() const { return m_parameters; }
    // The clock's time, to bind where SQL would say now() (?::timestamptz).
    QDateTime now() const { return m_parameters.clock->now(); }
    const core::Clock &clock() const { return *m_parameters.clock; }

    // Connects now if not connected. Unavailable when PostgreSQL cannot be reached.
    StoreCheck open();
    // One round trip (SELECT 1), reconnecting if needed: for /ready.
    StoreCheck ping();

    // Runs one statement with positional `?` values, preparing it on first
    // use on this connection. The returned query belongs to the Database and
    // is reused by the next run() of the same SQL: read its rows first.
    // Outside a transaction a statement that failed because the connection
    // was lost is retried once on a fresh connection.
    // Values: QString (NUL refused: InvalidInput), QByteArray (bytea),
    // QUuid/QDateTime/integers/bool; use sql_values.h for NULLs and text[].
    // Cast ambiguous placeholders in SQL (?::uuid, ?::bytea, ?::bigint).
    StoreResult<QSqlQuery *> run(const QString &sql, const QVariantList &values = {});

    // Runs unprepared SQL that may hold several statements (migrations). No values.
    StoreCheck runScript(const QString &sql);

    bool inTransaction() const { return m_transactionDepth > 0; }

    // The underlying connection, for LISTEN/NOTIFY (subscribeToNotification)
    // on the owning thread. Do not run statements on it directly.
    QSqlDatabase connection() const;

private:
    friend class Transaction;
    StoreCheck begin();
    StoreCheck commit();
    void rollback();
    StoreCheck reconnect();
    StoreResult<QSqlQuery *> runOnce(const QString &sql, const QVariantList &values);

    ConnectionParameters m_parameters;
    QString m_connectionName{};
    QSqlDatabase m_connection;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements; // by SQL text
    int m_transactionDepth = 0;
    bool m_transactionFailed = false; // an inner guard rolled back: the outer may not commit
};

} // namespace daarion::store
