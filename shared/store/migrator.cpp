#include "shared/store/migrator.h"

#include "shared/store/database.h"
#include "shared/store/transaction.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>

#include <algorithm>

namespace daarion::store {

namespace {

// pg_advisory_lock key shared by every daarion-auth migrator ("daarion" in ASCII).
constexpr qint64 migrationLockKey = 0x64616172696f6e;

const QString embeddedDirectory = QStringLiteral(":/daarion/migrations");

StoreResult<Migration> migrationFromFile(const QString &path)
{
    static const QRegularExpression namePattern(QStringLiteral("^([0-9]{3,})_[a-z0-9_]+\\.sql$"));
    const QString name = QFileInfo(path).fileName();
    const auto match = namePattern.match(name);
    if (!match.hasMatch())
        return storeError(StoreErrorKind::InvalidInput,
                          QStringLiteral("migration file name must be NNN_name.sql: ") + name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return storeError(StoreErrorKind::Failed, QStringLiteral("cannot read ") + path);
    Migration migration;
    migration.version = match.captured(1).toInt();
    migration.name = name;
    migration.sql = file.readAll();
    migration.checksum = QCryptographicHash::hash(migration.sql, QCryptographicHash::Sha256);
    return migration;
}

StoreResult<QList<Migration>> migrationsIn(const QString &directory)
{
    QList<Migration> migrations;
    const QDir dir(directory);
    for (const QString &name : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        auto migration = migrationFromFile(dir.filePath(name));
        if (!migration)
            return migration.error();
        if (!migrations.isEmpty() && migrations.last().version == migration->version)
            return storeError(StoreErrorKind::InvalidInput,
                              QStringLiteral("two migrations share version %1").arg(migration->version));
        migrations << std::move(migration).value();
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

const QString createLedger = QStringLiteral(
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum bytea NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())");

struct Applied {
    int version;
    QString name;
    QByteArray checksum;
};

StoreResult<QList<Applied>> appliedMigrations(Database &database)
{
    // to_regclass: a database never migrated has no ledger yet.
    auto exists = database.run(QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!exists)
        return exists.error();
    QList<Applied> applied;
    if (!(*exists)->next() || !(*exists)->value(0).toBool())
        return applied;
    auto rows = database.run(QStringLiteral("SELECT version, name, checksum FROM schema_migrations ORDER BY version"));
    if (!rows)
        return rows.error();
    QSqlQuery *query = *rows;
    while (query->next())
        applied << Applied{query->value(0).toInt(), query->value(1).toString(), query->value(2).toByteArray()};
    return applied;
}

// Pending migrations, after checking every landed one is unchanged.
StoreResult<QList<Migration>> pendingAgainst(const QList<Migration> &known, const QList<Applied> &applied)
{
    QList<Migration> pending;
    for (const Migration &migration : known) {
        const auto landed = std::find_if(applied.begin(), applied.end(),
                                         [&](const Applied &a) { return a.version == migration.version; });
        if (landed == applied.end()) {
            pending << migration;
            continue;
        }
        if (landed->checksum != migration.checksum)
            return storeError(StoreErrorKind::Failed,
                              QStringLiteral("migration %1 was changed after it was applied (checksum %2 in the "
                                             "database, %3 in this build); a landed migration is never edited: "
                                             "add a new one")
                                  .arg(migration.name, QString::fromLatin1(landed->checksum.toHex().left(16)),
                                       QString::fromLatin1(migration.checksum.toHex().left(16))));
    }
    return pending;
}

// Holds the session-level advisory lock for its lifetime.
class MigrationLock
{
public:
    explicit MigrationLock(Database &database) : m_database(database) {}
    ~MigrationLock()
    {
        if (m_held)
            (void)m_database.run(QStringLiteral("SELECT pg_advisory_unlock(?::bigint)"), {migrationLockKey});
    }
    StoreCheck acquire()
    {
        auto locked = m_database.run(QStringLiteral("SELECT pg_advisory_lock(?::bigint)"), {migrationLockKey});
        if (!locked)
            return locked.error();
        m_held = true;
        return Ok{};
    }

private:
    Database &m_database;
    bool m_held = false;
};

} // namespace

QList<Migration> Migrator::embeddedMigrations()
{
    auto migrations = migrationsIn(embeddedDirectory);
    return migrations ? migrations.value() : QList<Migration>();
}

StoreResult<QList<Migration>> Migrator::migrationsFromDirectory(const QString &path)
{
    if (!QFileInfo(path).isDir())
        return storeError(StoreErrorKind::InvalidInput, QStringLiteral("not a directory: ") + path);
    return migrationsIn(path);
}

Migrator::Migrator(Database &database) : Migrator(database, embeddedMigrations()) {}

Migrator::Migrator(Database &database, QList<Migration> migrations)
    : m_database(database), m_migrations(std::move(migrations))
{
}

StoreResult<QList<Migration>> Migrator::pending()
{
    auto applied = appliedMigrations(m_database);
    if (!applied)
        return applied.error();
    return pendingAgainst(m_migrations, *applied);
}

StoreResult<bool> Migrator::isCurrent()
{
    auto applied = appliedMigrations(m_database);
    if (!applied)
        return applied.error();
    for (const Migration &migration : m_migrations) {
        const auto landed = std::find_if(applied->begin(), applied->end(),
                                         [&](const Applied &a) { return a.version == migration.version; });
        if (landed == applied->end() || landed->checksum != migration.checksum)
            return false;
    }
    return true;
}

StoreResult<QList<Migration>> Migrator::migrate()
{
    if (m_migrations.isEmpty())
        return storeError(StoreErrorKind::Failed, QStringLiteral("no migrations are embedded in this build"));
    MigrationLock lock(m_database);
    if (auto locked = lock.acquire(); !locked)
        return locked.error();
    auto ledgerExists = m_database.run(QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!ledgerExists)
        return ledgerExists.error();
    if (!((*ledgerExists)->next() && (*ledgerExists)->value(0).toBool())) {
        if (auto ledger = m_database.runScript(createLedger); !ledger)
            return ledger.error();
    }
    // Read under the lock: another replica may have just applied some.
    auto waiting = pending();
    if (!waiting)
        return waiting.error();

    QList<Migration> done;
    for (const Migration &migration : *waiting) {
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return begun.error();
        if (auto applied = m_database.runScript(QString::fromUtf8(migration.sql)); !applied) {
            StoreError error = applied.error();
            error.message = migration.name + QStringLiteral(" failed: ") + error.message;
            return error;
        }
        auto recorded = m_database.run(
            QStringLiteral("INSERT INTO schema_migrations (version, name, checksum) VALUES (?::integer, ?, ?::bytea)"),
            {migration.version, migration.name, migration.checksum});
        if (!recorded)
            return recorded.error();
        if (auto committed = transaction.commit(); !committed)
            return committed.error();
        done << migration;
    }
    return done;
}

} // namespace daarion::store
