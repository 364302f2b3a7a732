#include "shared/store/passkey_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store {

namespace {

const QString passkeySelect = QStringLiteral("SELECT ") + rows::passkeyColumns(QStringLiteral("p")) +
                              QStringLiteral(", u.username FROM passkeys p JOIN users u ON u.id = p.user_id");

// Reads a passkeySelect row.
PasskeyWithOwner readWithOwner(const QSqlQuery &query)
{
    int column = 0;
    PasskeyWithOwner row;
    row.passkey = rows::readPasskey(query, column);
    row.username = textAt(query, column++);
    return row;
}

StoreResult<PasskeyWithOwner> onePasskey(Database &database, const QString &sql, const QVariantList &values)
{
    auto result = database.run(sql, values);
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such passkey"));
    return readWithOwner(**result);
}

// Runs an UPDATE … RETURNING wrapped as `WITH p AS (…) SELECT passkey, username`,
// then writes the audit row, in one transaction.
StoreResult<PasskeyRecord> changeWithAudit(Database &database, const QString &sql, const QVariantList &values,
                                           AuditEvent event)
{
    Transaction transaction(database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto changed = onePasskey(database, sql, values);
    if (!changed)
        return changed.error();
    event.userId = changed->passkey.userId;
    event.username = changed->username;
    event.passkeyId = changed->passkey.id;
    event.credentialId = changed->passkey.credentialId;
    if (auto audited = AuditRepository(database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return changed->passkey;
}

// A session is only as good as the passkey that made it: removing or
// disabling the passkey ends every live session it signed in (rotations
// keep passkey_id, so whole families). Returns how many; joins the caller's
// transaction.
StoreResult<qint64> endSessionsOf(Database &database, const QUuid &passkeyId, const QString &reason)
{
    static const QString sql = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = ? WHERE passkey_id = "
        "?::uuid"
        " AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > ?::timestamptz");
    const QDateTime now = database.now();
    auto ended = database.run(sql, {now, reason, nullableUuid(passkeyId), now});
    if (!ended)
        return ended.error();
    return qint64((*ended)->numRowsAffected());
}

QString updateReturningWithOwner(const QString &setClause, const QString &whereClause)
{
    return QStringLiteral("WITH p AS (UPDATE passkeys SET ") + setClause + QStringLiteral(" WHERE ") + whereClause +
           QStringLiteral(" RETURNING *) SELECT ") + rows::passkeyColumns(QStringLiteral("p")) +
           QStringLiteral(", u.username FROM p JOIN users u ON u.id = p.user_id");
}

} // namespace

StoreResult<PasskeyRecord> PasskeyRepository::findById(const QUuid &id)
{
    static const QString sql = passkeySelect + QStringLiteral(" WHERE p.id = ?::uuid");
    auto found = onePasskey(m_database, sql, {nullableUuid(id)});
    if (!found)
        return found.error();
    return found->passkey;
}

StoreResult<PasskeyRecord> PasskeyRepository::findByCredentialId(const QString &credentialId)
{
    static const QString sql = passkeySelect + QStringLiteral(" WHERE p.credential_id = ?");
    auto found = onePasskey(m_database, sql, {credentialId});
    if (!found)
        return found.error();
    return found->passkey;
}

StoreResult<QList<PasskeyRecord>> PasskeyRepository::listByUser(const QUuid &userId)
{
    static const QString sql = QStringLiteral("SELECT ") + rows::passkeyColumns(QStringLiteral("p")) +
                               QStringLiteral(" FROM passkeys p WHERE p.user_id = ?::uuid ORDER BY p.created_at, p.id");
    auto result = m_database.run(sql, {nullableUuid(userId)});
    if (!result)
        return result.error();
    QList<PasskeyRecord> passkeys;
    while ((*result)->next()) {
        int column = 0;
        passkeys << rows::readPasskey(**result, column);
    }
    return passkeys;
}

StoreResult<QList<PasskeyWithOwner>> PasskeyRepository::list(const PasskeyQuery &query)
{
    static const QString sql =
        passkeySelect +
        QStringLiteral(
            " WHERE (?::uuid IS NULL OR p.user_id = ?::uuid)"
            " AND (?::text IS NULL OR u.username ILIKE ?::text OR p.device_name ILIKE ?::text"
            "      OR p.credential_id LIKE ?::text)"
            " AND (NOT ?::boolean OR p.counter_regression_at IS NOT NULL)"
            " AND (?::bytea IS NULL OR p.aaguid = ?::bytea)"
            " ORDER BY u.username, p.created_at, p.id LIMIT ?::integer OFFSET ?::integer");
    const QVariant user = nullableUuid(query.userId);
    const QVariant pattern = query.search.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                    : QVariant(rows::containsPattern(query.search));
    const QVariant aaguid = nullableBytes(query.aaguid);
    auto result = m_database.run(
        sql, {user, user, pattern, pattern, pattern, pattern, query.flaggedOnly, aaguid, aaguid,
              rows::clampLimit(query.limit), rows::clampOffset(query.offset)});
    if (!result)
        return result.error();
    QList<PasskeyWithOwner> passkeys;
    while ((*result)->next())
        passkeys << readWithOwner(**result);
    return passkeys;
}

StoreResult<PasskeyRecord> PasskeyRepository::rename(const QUuid &id, const QUuid &ownerId, const QString &deviceName,
                                                     const AuditContext &context)
{
    static const QString sql = updateReturningWithOwner(
        QStringLiteral("device_name = ?"), QStringLiteral("id = ?::uuid AND (?::uuid IS NULL OR user_id = ?::uuid)"));
    AuditEvent event;
    event.type = AuditEventType::PasskeyRenamed;
    event.from(context);
    event.details.insert(QStringLiteral("device_name"), deviceName);
    const QVariant owner = nullableUuid(ownerId);
    return changeWithAudit(m_database, sql, {deviceName, nullableUuid(id), owner, owner}, event);
}

StoreCheck PasskeyRepository::remove(const QUuid &id, const QUuid &ownerId, const AuditContext &context)
{
    // Locking the owner's row serialises deletions of one user's passkeys;
    // the count runs as its own statement after the lock is held, so it sees
    // what a racing delete committed (READ COMMITTED takes a new snapshot).
    static const QString lock = QStringLiteral(
        "SELECT p.user_id, p.credential_id, u.username FROM passkeys p JOIN users u ON u.id = p.user_id"
        " WHERE p.id = ?::uuid AND (?::uuid IS NULL OR p.user_id = ?::uuid) FOR UPDATE OF u");
    static const QString othersEnabled = QStringLiteral(
        "SELECT count(*) FROM passkeys WHERE user_id = ?::uuid AND id <> ?::uuid AND disabled_at IS NULL");
    static const QString remove = QStringLiteral("DELETE FROM passkeys WHERE id = ?::uuid");

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QVariant owner = nullableUuid(ownerId);
    auto found = m_database.run(lock, {nullableUuid(id), owner, owner});
    if (!found)
        return found.error();
    QSqlQuery *row = *found;
    if (!row->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such passkey"));
    AuditEvent event;
    event.type = AuditEventType::PasskeyDeleted;
    event.from(context);
    event.userId = uuidAt(*row, 0);
    event.credentialId = textAt(*row, 1);
    event.username = textAt(*row, 2);
    event.passkeyId = id;
    auto others = m_database.run(othersEnabled, {nullableUuid(event.userId), nullableUuid(id)});
    if (!others)
        return others.error();
    if (!(*others)->next() || (*others)->value(0).toLongLong() == 0)
        return storeError(StoreErrorKind::LastCredential,
                          QStringLiteral("refusing to delete the user's last usable passkey"));
    // Before the delete: its foreign key would forget which sessions it made.
    auto ended = endSessionsOf(m_database, id, QStringLiteral("passkey_deleted"));
    if (!ended)
        return ended.error();
    event.details.insert(QStringLiteral("sessions_revoked"), ended.value());
    if (auto removed = m_database.run(remove, {nullableUuid(id)}); !removed)
        return removed.error();
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    return transaction.commit();
}

StoreResult<PasskeyRecord> PasskeyRepository::setDisabled(const QUuid &id, bool disabled, const AuditContext &context)
{
    static const QString sql = updateReturningWithOwner(
        QStringLiteral("disabled_at = CASE WHEN ?::boolean THEN coalesce(disabled_at, ?::timestamptz) END"),
        QStringLiteral("id = ?::uuid"));
    AuditEvent event;
    event.type = disabled ? AuditEventType::PasskeyDisabled : AuditEventType::PasskeyEnabled;
    event.from(context);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    if (disabled) {
        auto ended = endSessionsOf(m_database, id, QStringLiteral("passkey_disabled"));
        if (!ended)
            return ended.error();
        event.details.insert(QStringLiteral("sessions_revoked"), ended.value());
    }
    auto changed =
        changeWithAudit(m_database, sql, {disabled, m_database.now(), nullableUuid(id)}, event);
    if (!changed)
        return changed.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return changed;
}

StoreCheck PasskeyRepository::flagCounterRegression(const QUuid &id, qint64 presentedCount,
                                                    const AuditContext &context)
{
    static const QString sql = updateReturningWithOwner(
        QStringLiteral("counter_regression_at = coalesce(counter_regression_at, ?::timestamptz)"),
        QStringLiteral("id = ?::uuid"));
    AuditEvent event;
    event.type = AuditEventType::CounterRegression;
    event.success = false;
    event.errorCode = QStringLiteral("counter_regression");
    event.from(context);
    event.details.insert(QStringLiteral("presented_sign_count"), presentedCount);
    // Read the stored count inside the same transaction for the audit details.
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto current = findById(id);
    if (!current)
        return current.error();
    event.details.insert(QStringLiteral("stored_sign_count"), current->signCount);
    auto flagged = changeWithAudit(m_database, sql, {m_database.now(), nullableUuid(id)}, event);
    if (!flagged)
        return flagged.error();
    return transaction.commit();
}

StoreResult<PasskeyRecord> PasskeyRepository::clearCounterRegression(const QUuid &id, const AuditContext &context)
{
    static const QString sql =
        updateReturningWithOwner(QStringLiteral("counter_regression_at = NULL"), QStringLiteral("id = ?::uuid"));
    AuditEvent event;
    event.type = AuditEventType::CounterRegressionCleared;
    event.from(context);
    return changeWithAudit(m_database, sql, {nullableUuid(id)}, event);
}

} // namespace daarion::store
