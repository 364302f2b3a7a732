#pragma once
// Applies the numbered SQL files of migrations/ (embedded in the library as
// Qt resources, so the binary stands alone) in order, each in its own
// transaction, under a PostgreSQL advisory lock so that replicas starting at
// once do not collide. Each applied file's SHA-256 is recorded in
// schema_migrations; a landed file whose checksum changed is refused.

#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace daarion::store {

class Database;

struct Migration {
    int version = 0;     // from the file name: 001_initial.sql → 1
    QString name{};        // "001_initial.sql"
    QByteArray sql{};
    QByteArray checksum{}; // SHA-256 of sql
};

class Migrator
{
public:
    // The migrations embedded in the library, in version order.
    static QList<Migration> embeddedMigrations();
    // Reads NNN_name.sql files from a directory (tests, tools). Bad names: InvalidInput.
    static StoreResult<QList<Migration>> migrationsFromDirectory(const QString &path);

    explicit Migrator(Database &database); // uses embeddedMigrations()
    Migrator(Database &database, QList<Migration> migrations);

    // Applies what is pending and returns what it applied (empty when current).
    // Failed (with the file's name) when a landed file's checksum differs or a
    // file fails to apply (that file's changes are rolled back).
    StoreResult<QList<Migration>> migrate();

    // True when every known migration is applied with a matching checksum.
    StoreResult<bool> isCurrent();

    // Known but not yet applied (checksums of applied ones are verified too).
    StoreResult<QList<Migration>> pending();

private:
    Database &m_database;
    QList<Migration> m_migrations{};
};

} // namespace daarion::store
