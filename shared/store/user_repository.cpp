#include "shared/store/user_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store {

namespace {

const QString userSelect = QStringLiteral("SELECT ") + rows::userColumns(QStringLiteral("u")) + QStringLiteral(" FROM users u");

// Binds the clock's now first.
const QString liveSessionCount = QStringLiteral(
    "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL"
    " AND s.rotated_at IS NULL AND s.expires_at > ?::timestamptz)");

const QString summarySelect = QStringLiteral("SELECT ") + rows::userColumns(QStringLiteral("u")) +
                              QStringLiteral(", (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id), ") +
                              liveSessionCount + QStringLiteral(" FROM users u");

StoreResult<UserRecord> oneUser(Database &database, const QString &sql, const QVariant &key, const QString &what)
{
    auto result = database.run(sql, {key});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no user with this ") + what);
    int column = 0;
    return rows::readUser(**result, column);
}

UserSummary readSummary(const QSqlQuery &query)
{
    int column = 0;
    UserSummary summary;
    summary.user = rows::readUser(query, column);
    summary.passkeyCount = query.value(column++).toInt();
    summary.liveSessionCount = query.value(column++).toInt();
    return summary;
}

} // namespace

StoreResult<UserRecord> UserRepository::findById(const QUuid &id)
{
    static const QString sql = userSelect + QStringLiteral(" WHERE u.id = ?::uuid");
    return oneUser(m_database, sql, nullableUuid(id), QStringLiteral("id"));
}

StoreResult<UserRecord> UserRepository::findByUsername(const QString &username)
{
    static const QString sql = userSelect + QStringLiteral(" WHERE u.username = ?");
    return oneUser(m_database, sql, username, QStringLiteral("username"));
}

StoreResult<UserRecord> UserRepository::findByUserHandle(const QByteArray &handle)
{
    static const QString sql = userSelect + QStringLiteral(" WHERE u.user_handle = ?::bytea");
    return oneUser(m_database, sql, handle, QStringLiteral("user handle"));
}

StoreResult<bool> UserRepository::usernameExists(const QString &username)
{
    auto result = m_database.run(QStringLiteral("SELECT EXISTS (SELECT 1 FROM users WHERE username = ?)"), {username});
    if (!result)
        return result.error();
    return (*result)->next() && (*result)->value(0).toBool();
}

StoreResult<UserRecord> UserRepository::createUser(const NewUser &user)
{
    static const QString sql = QStringLiteral("INSERT INTO users AS u (username, display_name, user_handle)"
                                              " VALUES (?, ?, ?::bytea) RETURNING ") +
                               rows::userColumns(QStringLiteral("u"));
    auto result = m_database.run(sql, {user.username, user.displayName.isNull() ? QStringLiteral("") : user.displayName,
                                       user.userHandle});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("user insert returned nothing"));
    int column = 0;
    return rows::readUser(**result, column);
}

StoreResult<UserRecord> UserRepository::setDisabled(const QUuid &id, bool disabled, const AuditContext &context)
{
    static const QString update = QStringLiteral(
        "UPDATE users AS u SET disabled_at = CASE WHEN ?::boolean THEN coalesce(u.disabled_at, ?::timestamptz) END"
        " WHERE u.id = ?::uuid RETURNING ") + rows::userColumns(QStringLiteral("u"));
    static const QString revokeSessions = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = 'user_disabled'"
        " WHERE user_id = ?::uuid AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > ?::timestamptz");

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QDateTime now = m_database.now();
    auto updated = m_database.run(update, {disabled, now, nullableUuid(id)});
    if (!updated)
        return updated.error();
    if (!(*updated)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such user"));
    int column = 0;
    UserRecord user = rows::readUser(**updated, column);
    qint64 revoked = 0;
    if (disabled) {
        auto sessions = m_database.run(revokeSessions, {now, nullableUuid(id), now});
        if (!sessions)
            return sessions.error();
        revoked = (*sessions)->numRowsAffected();
    }
    AuditEvent event;
    event.type = disabled ? AuditEventType::UserDisabled : AuditEventType::UserEnabled;
    event.userId = user.id;
    event.username = user.username;
    event.from(context);
    if (disabled)
        event.details.insert(QStringLiteral("sessions_revoked"), revoked);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return user;
}

StoreResult<UserRecord> UserRepository::setDisplayName(const QUuid &id, const QString &displayName,
                                                       const AuditContext &context)
{
    static const QString update =
        QStringLiteral("WITH old AS (SELECT display_name FROM users WHERE id = ?::uuid"
                       " FOR UPDATE) UPDATE users AS u SET display_name = ? FROM old"
                       " WHERE u.id = ?::uuid RETURNING ") +
        rows::userColumns(QStringLiteral("u")) + QStringLiteral(", old.display_name");
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto updated = m_database.run(update, {nullableUuid(id), displayName, nullableUuid(id)});
    if (!updated)
        return updated.error();
    if (!(*updated)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such user"));
    int column = 0;
    UserRecord user = rows::readUser(**updated, column);
    AuditEvent event;
    event.type = AuditEventType::DisplayNameChanged;
    event.userId = user.id;
    event.username = user.username;
    event.from(context);
    event.details.insert(QStringLiteral("previous"), textAt(**updated, column));
    event.details.insert(QStringLiteral("display_name"), user.displayName);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return user;
}

StoreResult<QList<UserSummary>> UserRepository::list(const UserQuery &query)
{
    static const QString sql = summarySelect + QStringLiteral(
        " WHERE (?::text IS NULL OR u.username ILIKE ?::text OR u.display_name ILIKE ?::text)"
        " AND (?::boolean OR u.disabled_at IS NULL)"
        " ORDER BY u.username LIMIT ?::integer OFFSET ?::integer");
    const QVariant pattern = query.search.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                    : QVariant(rows::containsPattern(query.search));
    auto result = m_database.run(sql, {m_database.now(), pattern, pattern, pattern, query.includeDisabled,
                                       rows::clampLimit(query.limit), rows::clampOffset(query.offset)});
    if (!result)
        return result.error();
    QList<UserSummary> users;
    while ((*result)->next())
        users << readSummary(**result);
    return users;
}

StoreResult<UserSummary> UserRepository::summary(const QUuid &id)
{
    static const QString sql = summarySelect + QStringLiteral(" WHERE u.id = ?::uuid");
    auto result = m_database.run(sql, {m_database.now(), nullableUuid(id)});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such user"));
    return readSummary(**result);
}

} // namespace daarion::store
