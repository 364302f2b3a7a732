#include "shared/store/database.h"

#include "shared/store/sql_script.h"

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadStorage>

#include <atomic>
#include <vector>

namespace daarion::store {

namespace {

std::atomic<quint64> connectionCounter{0};

// SQLSTATE classes that mean "the server is gone or refusing": 08 connection
// exception, 57P01-57P03 admin shutdown / crash / cannot connect now,
// 53300 too many connections.
bool isConnectionState(const QString &state)
{
    return state.startsWith(QLatin1String("08")) || state == QLatin1String("57P01") ||
           state == QLatin1String("57P02") || state == QLatin1String("57P03") || state == QLatin1String("53300");
}

// The constraint a 23505 message names: … unique constraint "users_username_key".
QString violatedConstraint(const QSqlError &error)
{
    static const QRegularExpression pattern(QStringLiteral("constraint \"([a-z0-9_]+)\""));
    const auto match = pattern.match(error.databaseText());
    return match.hasMatch() ? match.captured(1) : QString();
}

StoreError classify(const QSqlError &error, bool connectionOpen, const QString &what)
{
    const QString state = error.nativeErrorCode();
    const QString message = what + QStringLiteral(": ") + error.text();
    if (isConnectionState(state) || (!connectionOpen) ||
        (state.isEmpty() && error.type() == QSqlError::ConnectionError))
        return storeError(StoreErrorKind::Unavailable, message, state);
    if (state == QLatin1String("23505")) {
        const QString constraint = violatedConstraint(error);
        if (constraint == QLatin1String("users_username_key"))
            return storeError(StoreErrorKind::UsernameTaken, message, state);
        if (constraint == QLatin1String("passkeys_credential_id_key"))
            return storeError(StoreErrorKind::CredentialExists, message, state);
        return storeError(StoreErrorKind::Conflict, message, state);
    }
    if (state == QLatin1String("23503"))
        return storeError(StoreErrorKind::NotFound, message, state);
    if (state == QLatin1String("23514") || state == QLatin1String("23502") || state.startsWith(QLatin1String("22")))
        return storeError(StoreErrorKind::InvalidInput, message, state);
    if (state == QLatin1String("40001") || state == QLatin1String("40P01") || state == QLatin1String("55P03"))
        return storeError(StoreErrorKind::Conflict, message, state);
    if (state == QLatin1String("57014") || state.startsWith(QLatin1String("53")))
        return storeError(StoreErrorKind::Unavailable, message, state);
    return storeError(StoreErrorKind::Failed, message, state);
}

bool holdsNul(const QVariant &value)
{
    return value.metaType() == QMetaType::fromType<QString>() && value.toString().contains(QChar(0));
}

// Connections this thread opened through forThisThread(), closed when the
// thread ends. QThreadStorage, not thread_local: Qt deletes it inside the
// thread before QThread::wait() returns (and for the main thread when the
// application object goes), whereas a thread_local destructor runs after
// wait() and raced the process's exit inside QtSql (a crash after "stopped").
struct ThreadConnections {
    std::vector<std::unique_ptr<Database>> databases;
};
QThreadStorage<ThreadConnections *> threadConnections;

ThreadConnections &connectionsOfThisThread()
{
    if (!threadConnections.hasLocalData())
        threadConnections.setLocalData(new ThreadConnections);
    return *threadConnections.localData();
}

} // namespace

Database::Database(ConnectionParameters parameters)
    : m_parameters(std::move(parameters)),
      m_connectionName(QStringLiteral("daarion-store-%1").arg(++connectionCounter))
{
    m_connection = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    m_connection.setHostName(m_parameters.host);
    m_connection.setPort(m_parameters.port);
    m_connection.setUserName(m_parameters.user);
    m_connection.setPassword(m_parameters.password);
    m_connection.setDatabaseName(m_parameters.databaseName);
    m_connection.setConnectOptions(m_parameters.options);
}

Database::~Database()
{
    m_statements.clear();
    m_connection.close();
    m_connection = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Database &Database::forThisThread(const ConnectionParameters &parameters)
{
    ThreadConnections &connections = connectionsOfThisThread();
    for (const auto &database : connections.databases) {
        if (database->parameters() == parameters)
            return *database;
    }
    connections.databases.push_back(std::make_unique<Database>(parameters));
    return *connections.databases.back();
}

void Database::releaseThisThread()
{
    if (threadConnections.hasLocalData())
        threadConnections.localData()->databases.clear();
}

QSqlDatabase Database::connection() const
{
    return m_connection;
}

StoreCheck Database::open()
{
    if (m_connection.isOpen())
        return Ok{};
    if (!m_connection.isValid())
        return storeError(StoreErrorKind::Failed, QStringLiteral("the QPSQL driver is not available"));
    m_statements.clear(); // statements prepared on an earlier session are gone
    if (!m_connection.open()) {
        const QSqlError error = m_connection.lastError();
        return storeError(StoreErrorKind::Unavailable,
                          QStringLiteral("cannot connect to ") + m_parameters.redacted() + QStringLiteral(": ") +
                              error.text(),
                          error.nativeErrorCode());
    }
    return Ok{};
}

StoreCheck Database::reconnect()
{
    m_statements.clear(); // prepared statements died with the old session
    m_connection.close();
    m_transactionDepth = 0;
    m_transactionFailed = false;
    return open();
}

StoreCheck Database::ping()
{
    auto result = run(QStringLiteral("SELECT 1"));
    if (!result)
        return result.error();
    return Ok{};
}

StoreResult<QSqlQuery *> Database::runOnce(const QString &sql, const QVariantList &values)
{
    if (auto opened = open(); !opened)
        return opened.error();
    auto found = m_statements.constFind(sql);
    QSqlQuery *query = nullptr;
    if (found != m_statements.constEnd()) {
        query = found->get();
    } else {
        auto fresh = std::make_shared<QSqlQuery>(m_connection);
        fresh->setForwardOnly(true);
        if (!fresh->prepare(sql))
            return classify(fresh->lastError(), m_connection.isOpen(), QStringLiteral("prepare"));
        query = fresh.get();
        m_statements.insert(sql, std::move(fresh));
    }
    for (int i = 0; i < values.size(); ++i)
        query->bindValue(i, values.at(i));
    if (!query->exec())
        return classify(query->lastError(), m_connection.isOpen(), QStringLiteral("statement"));
    return query;
}

StoreResult<QSqlQuery *> Database::run(const QString &sql, const QVariantList &values)
{
    for (const QVariant &value : values) {
        if (holdsNul(value))
            return storeError(StoreErrorKind::InvalidInput, QStringLiteral("text value holds a NUL byte"));
    }
    auto result = runOnce(sql, values);
    if (result || result.kind() != StoreErrorKind::Unavailable || inTransaction())
        return result;
    // The connection was lost (idle backend terminated, server restarted):
    // nothing of this statement ran, so one retry on a fresh connection is safe.
    if (auto reopened = reconnect(); !reopened)
        return reopened.error();
    return runOnce(sql, values);
}

StoreCheck Database::runScript(const QString &sql)
{
    if (auto opened = open(); !opened)
        return opened.error();
    const QStringList statements = splitSqlScript(sql);
    for (qsizetype i = 0; i < statements.size(); ++i) {
        QSqlQuery query(m_connection);
        if (!query.exec(statements.at(i)))
            return classify(query.lastError(), m_connection.isOpen(),
                            QStringLiteral("statement %1 of the script").arg(i + 1));
    }
    return Ok{};
}

StoreCheck Database::begin()
{
    if (m_transactionDepth > 0) {
        ++m_transactionDepth;
        return Ok{};
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto opened = open(); !opened)
            return opened.error();
        if (m_connection.transaction()) {
            m_transactionDepth = 1;
            m_transactionFailed = false;
            return Ok{};
        }
        const StoreError error =
            classify(m_connection.lastError(), m_connection.isOpen(), QStringLiteral("BEGIN"));
        if (error.kind != StoreErrorKind::Unavailable || attempt == 1)
            return error;
        if (auto reopened = reconnect(); !reopened)
            return reopened.error();
    }
    return storeError(StoreErrorKind::Unavailable, QStringLiteral("BEGIN failed"));
}

StoreCheck Database::commit()
{
    if (m_transactionDepth == 0)
        return storeError(StoreErrorKind::Failed, QStringLiteral("commit without a transaction"));
    if (m_transactionDepth > 1) {
        --m_transactionDepth;
        return Ok{};
    }
    if (m_transactionFailed) {
        rollback();
        return storeError(StoreErrorKind::Failed, QStringLiteral("an inner step of the transaction failed"));
    }
    m_transactionDepth = 0;
    if (!m_connection.commit()) {
        const StoreError error = classify(m_connection.lastError(), m_connection.isOpen(), QStringLiteral("COMMIT"));
        if (m_connection.isOpen())
            m_connection.rollback();
        return error;
    }
    return Ok{};
}

void Database::rollback()
{
    if (m_transactionDepth == 0)
        return;
    if (m_transactionDepth > 1) {
        --m_transactionDepth;
        m_transactionFailed = true;
        return;
    }
    m_transactionDepth = 0;
    m_transactionFailed = false;
    if (m_connection.isOpen() && !m_connection.rollback()) {
        // A failed ROLLBACK means the session is unusable; start afresh next time.
        m_statements.clear();
        m_connection.close();
    }
}

} // namespace daarion::store
