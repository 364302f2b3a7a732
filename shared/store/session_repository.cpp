#include "shared/store/session_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store {

QString sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Live: return QStringLiteral("live");
    case SessionState::Expired: return QStringLiteral("expired");
    case SessionState::Revoked: return QStringLiteral("revoked");
    case SessionState::Rotated: return QStringLiteral("rotated");
    }
    return QStringLiteral("live");
}

namespace {

// Sessions are only touched when last_seen_at is this old: /auth/me stays a
// read, not a write, on every request.
constexpr int touchIntervalSeconds = 60;

// Binds idle seconds, then the clock's now.
const QString sessionsWithParams = QStringLiteral(" FROM sessions s") + rows::sessionParams();

// Binds the clock's now.
const QString liveCondition =
    QStringLiteral("revoked_at IS NULL AND rotated_at IS NULL AND expires_at > ?::timestamptz");

qint64 seconds(std::chrono::seconds duration)
{
    return qint64(duration.count());
}

// A rotated-out token came back: someone holds a copy. End the whole family.
StoreError revokeFamilyForReuse(Database &database, const SessionRecord &session, const QString &username,
                                const AuditContext &context)
{
    static const QString revoke = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = 'token_reused'"
        " WHERE family_id = ?::uuid AND revoked_at IS NULL");
    const StoreError reused =
        storeError(StoreErrorKind::TokenReused, QStringLiteral("a rotated-out session token was presented again"));
    Transaction transaction(database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto revoked = database.run(revoke, {database.now(), nullableUuid(session.familyId)});
    if (!revoked)
        return revoked.error();
    const int count = (*revoked)->numRowsAffected();
    AuditEvent event;
    event.type = AuditEventType::TokenReused;
    event.success = false;
    event.errorCode = QStringLiteral("token_reused");
    event.userId = session.userId;
    event.username = username;
    event.sessionId = session.id;
    event.from(context);
    event.details.insert(QStringLiteral("family_id"), session.familyId.toString(QUuid::WithoutBraces));
    event.details.insert(QStringLiteral("sessions_revoked"), count);
    if (auto audited = AuditRepository(database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return reused;
}

} // namespace

StoreResult<SessionRecord> SessionRepository::create(const NewSession &session)
{
    static const QString sql = QStringLiteral(
        "INSERT INTO sessions AS s (family_id, user_id, passkey_id, token_hash, created_at, last_seen_at, expires_at,"
        " client_ip, user_agent)"
        " SELECT gen_random_uuid(), ?::uuid, ?::uuid, ?::bytea, t.now, t.now, t.now + ?::bigint * interval '1 second',"
        " ?, ? FROM (SELECT ?::timestamptz AS now) t RETURNING ") + rows::sessionColumnsLive(QStringLiteral("s"));
    auto result = m_database.run(sql, {nullableUuid(session.userId), nullableUuid(session.passkeyId),
                                       session.tokenHash, seconds(session.lifetime),
                                       nullableText(session.clientIp.left(64)),
                                       nullableText(session.userAgent.left(512)), m_database.now()});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("session insert returned nothing"));
    int column = 0;
    return rows::readSession(**result, column);
}

StoreResult<LiveSession> SessionRepository::authenticate(const QByteArray &tokenHash,
                                                         std::chrono::seconds idleTimeout)
{
    // One round trip: the touch runs as a CTE (always, whether read or not),
    // the main query reads session, user and memberships.
    static const QString sql =
        QStringLiteral("WITH t AS (SELECT ?::timestamptz AS now),"
                       " touched AS (UPDATE sessions SET last_seen_at = t.now FROM t WHERE token_hash = ?::bytea"
                       " AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > t.now"
                       " AND last_seen_at < t.now - interval '%1 seconds'"
                       " AND (?::bigint <= 0 OR last_seen_at > t.now - ?::bigint * interval '1 second')"
                       " RETURNING id) SELECT ")
            .arg(touchIntervalSeconds) +
        rows::sessionColumns(QStringLiteral("s")) + QStringLiteral(", ") + rows::userColumns(QStringLiteral("u")) +
        QStringLiteral(", ") + rows::membershipsJson(QStringLiteral("s.user_id")) + sessionsWithParams +
        QStringLiteral(" JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?::bytea");
    const qint64 idle = seconds(idleTimeout);
    const QDateTime now = m_database.now();
    auto result = m_database.run(sql, {now, tokenHash, idle, idle, idle, now, tokenHash});
    if (!result)
        return result.error();
    QSqlQuery *row = *result;
    if (!row->next())
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("unknown session token"));
    int column = 0;
    LiveSession live;
    live.session = rows::readSession(*row, column);
    live.user = rows::readUser(*row, column);
    if (live.session.rotatedAt.isValid())
        return revokeFamilyForReuse(m_database, live.session, live.user.username, AuditContext{});
    if (live.session.state != SessionState::Live)
        return storeError(StoreErrorKind::InvalidSession,
                          QStringLiteral("session is ") + sessionStateName(live.session.state));
    if (live.user.disabled())
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("user is disabled"));
    live.memberships = rows::membershipsFromJson(textAt(*row, column), live.user.id, live.user.username);
    return live;
}

StoreResult<SessionRecord> SessionRepository::rotate(const QByteArray &oldTokenHash, const QByteArray &newTokenHash,
                                                     std::chrono::seconds idleTimeout, const AuditContext &context)
{
    // FOR UPDATE: two refreshes with one token serialise; the second sees it
    // rotated and is treated as reuse.
    static const QString find = QStringLiteral("SELECT ") + rows::sessionColumns(QStringLiteral("s")) +
                                QStringLiteral(", u.username, u.disabled_at IS NOT NULL") + sessionsWithParams +
                                QStringLiteral(" JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?::bytea"
                                               " FOR UPDATE OF s");
    static const QString retire = QStringLiteral("UPDATE sessions SET rotated_at = ?::timestamptz WHERE id = ?::uuid");
    static const QString successor = QStringLiteral(
        "INSERT INTO sessions AS s (family_id, user_id, passkey_id, token_hash, created_at, last_seen_at, expires_at,"
        " client_ip, user_agent)"
        " VALUES (?::uuid, ?::uuid, ?::uuid, ?::bytea, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?, ?) RETURNING ") +
        rows::sessionColumnsLive(QStringLiteral("s"));

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QDateTime now = m_database.now();
    auto found = m_database.run(find, {seconds(idleTimeout), now, oldTokenHash});
    if (!found)
        return found.error();
    QSqlQuery *row = *found;
    if (!row->next())
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("unknown session token"));
    int column = 0;
    const SessionRecord old = rows::readSession(*row, column);
    const QString username = textAt(*row, column++);
    const bool userDisabled = boolAt(*row, column++);
    if (old.rotatedAt.isValid()) {
        transaction.rollback();
        return revokeFamilyForReuse(m_database, old, username, context);
    }
    if (old.state != SessionState::Live)
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("session is ") + sessionStateName(old.state));
    if (userDisabled)
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("user is disabled"));

    if (auto retired = m_database.run(retire, {now, nullableUuid(old.id)}); !retired)
        return retired.error();
    auto inserted = m_database.run(successor, {nullableUuid(old.familyId), nullableUuid(old.userId),
                                               nullableUuid(old.passkeyId), newTokenHash, now, now, old.expiresAt,
                                               nullableText(context.clientIp.left(64)),
                                               nullableText(context.userAgent.left(512))});
    if (!inserted)
        return inserted.error();
    if (!(*inserted)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("session insert returned nothing"));
    column = 0;
    SessionRecord fresh = rows::readSession(**inserted, column);

    AuditEvent event;
    event.type = AuditEventType::SessionRefresh;
    event.userId = fresh.userId;
    event.username = username;
    event.passkeyId = fresh.passkeyId;
    event.sessionId = fresh.id;
    event.from(context);
    event.details.insert(QStringLiteral("previous_session_id"), old.id.toString(QUuid::WithoutBraces));
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return fresh;
}

StoreResult<qint64> SessionRepository::logout(const QByteArray &tokenHash, bool all, const AuditContext &context)
{
    static const QString find = QStringLiteral(
        "SELECT s.id, s.user_id, s.passkey_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ?::bytea AND s.revoked_at IS NULL AND s.rotated_at IS NULL"
        " AND s.expires_at > ?::timestamptz FOR UPDATE OF s");
    static const QString endOne = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = 'logout' WHERE id = ?::uuid");
    static const QString endAll = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = 'logout_all' WHERE user_id = ?::uuid AND ") +
        liveCondition;

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QDateTime now = m_database.now();
    auto found = m_database.run(find, {tokenHash, now});
    if (!found)
        return found.error();
    QSqlQuery *row = *found;
    if (!row->next())
        return storeError(StoreErrorKind::InvalidSession, QStringLiteral("session is not live"));
    AuditEvent event;
    event.type = AuditEventType::Logout;
    event.sessionId = uuidAt(*row, 0);
    event.userId = uuidAt(*row, 1);
    event.passkeyId = uuidAt(*row, 2);
    event.username = textAt(*row, 3);
    event.from(context);
    if (event.actor.isEmpty())
        event.actor = actorForUser(event.userId);
    auto ended = all ? m_database.run(endAll, {now, nullableUuid(event.userId), now})
                     : m_database.run(endOne, {now, nullableUuid(event.sessionId)});
    if (!ended)
        return ended.error();
    const qint64 count = (*ended)->numRowsAffected();
    event.details.insert(QStringLiteral("all"), all);
    event.details.insert(QStringLiteral("sessions_ended"), count);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return count;
}

StoreResult<SessionRecord> SessionRepository::revoke(const QUuid &sessionId, const QUuid &ownerId,
                                                     const QString &reason, const AuditContext &context)
{
    static const QString sql = QStringLiteral(
        "WITH s AS (UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = ?"
        " WHERE id = ?::uuid AND (?::uuid IS NULL OR user_id = ?::uuid) AND revoked_at IS NULL AND rotated_at IS NULL"
        " RETURNING *) SELECT ") +
        rows::sessionColumns(QStringLiteral("s")) + QStringLiteral(", u.username FROM s") + rows::sessionParams() +
        QStringLiteral(" JOIN users u ON u.id = s.user_id");
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QVariant owner = nullableUuid(ownerId);
    const QDateTime now = m_database.now();
    auto result = m_database.run(sql, {now, reason.isEmpty() ? QStringLiteral("revoked") : reason.left(64),
                                       nullableUuid(sessionId), owner, owner, qint64(0), now});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such active session"));
    int column = 0;
    SessionRecord session = rows::readSession(**result, column);
    AuditEvent event;
    event.type = AuditEventType::SessionRevoked;
    event.userId = session.userId;
    event.username = textAt(**result, column++);
    event.sessionId = session.id;
    event.passkeyId = session.passkeyId;
    event.from(context);
    event.details.insert(QStringLiteral("reason"), session.revokeReason);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return session;
}

StoreResult<qint64> SessionRepository::revokeAllOfUser(const QUuid &userId, const QString &reason,
                                                      const AuditContext &context)
{
    static const QString revokeAll = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = ? WHERE user_id = ?::uuid AND ") +
        liveCondition;
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto user = UserRepository(m_database).findById(userId);
    if (!user)
        return user.error();
    const QDateTime now = m_database.now();
    auto revoked = m_database.run(revokeAll, {now, reason.isEmpty() ? QStringLiteral("revoked") : reason.left(64),
                                              nullableUuid(userId), now});
    if (!revoked)
        return revoked.error();
    const qint64 count = (*revoked)->numRowsAffected();
    AuditEvent event;
    event.type = AuditEventType::SessionRevoked;
    event.userId = user->id;
    event.username = user->username;
    event.from(context);
    event.details.insert(QStringLiteral("all"), true);
    event.details.insert(QStringLiteral("sessions_revoked"), count);
    event.details.insert(QStringLiteral("reason"), reason);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return count;
}

StoreResult<SessionRecord> SessionRepository::findById(const QUuid &id)
{
    static const QString sql = QStringLiteral("SELECT ") + rows::sessionColumns(QStringLiteral("s")) +
                               sessionsWithParams + QStringLiteral(" WHERE s.id = ?::uuid");
    auto result = m_database.run(sql, {qint64(0), m_database.now(), nullableUuid(id)});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such session"));
    int column = 0;
    return rows::readSession(**result, column);
}

StoreResult<QList<SessionRecord>> SessionRepository::listByUser(const QUuid &userId, bool liveOnly,
                                                               std::chrono::seconds idleTimeout)
{
    static const QString sql = QStringLiteral("SELECT ") + rows::sessionColumns(QStringLiteral("s")) +
                               sessionsWithParams +
                               QStringLiteral(" WHERE s.user_id = ?::uuid AND (NOT ?::boolean OR ") +
                               rows::sessionStateExpression(QStringLiteral("s")) +
                               QStringLiteral(" = 'live') ORDER BY s.created_at DESC, s.id LIMIT 1000");
    auto result = m_database.run(sql, {seconds(idleTimeout), m_database.now(), nullableUuid(userId), liveOnly});
    if (!result)
        return result.error();
    QList<SessionRecord> sessions;
    while ((*result)->next()) {
        int column = 0;
        sessions << rows::readSession(**result, column);
    }
    return sessions;
}

StoreResult<QList<SessionWithOwner>> SessionRepository::list(const SessionQuery &query)
{
    static const QString sql =
        QStringLiteral("SELECT ") + rows::sessionColumns(QStringLiteral("s")) + QStringLiteral(", u.username") +
        sessionsWithParams +
        QStringLiteral(" JOIN users u ON u.id = s.user_id"
                       " WHERE (?::uuid IS NULL OR s.user_id = ?::uuid)"
                       " AND (?::text IS NULL OR u.username ILIKE ?::text OR s.client_ip LIKE ?::text"
                       "      OR s.user_agent ILIKE ?::text)"
                       " AND (?::text IS NULL OR ") +
        rows::sessionStateExpression(QStringLiteral("s")) +
        QStringLiteral(" = ?::text) ORDER BY s.created_at DESC, s.id LIMIT ?::integer OFFSET ?::integer");
    const QVariant user = nullableUuid(query.userId);
    const QVariant pattern = query.search.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                    : QVariant(rows::containsPattern(query.search));
    const QVariant state = query.state ? QVariant(sessionStateName(*query.state))
                                       : QVariant(QMetaType::fromType<QString>());
    auto result = m_database.run(sql, {seconds(query.idleTimeout), m_database.now(), user, user, pattern, pattern,
                                       pattern, pattern, state, state, rows::clampLimit(query.limit),
                                       rows::clampOffset(query.offset)});
    if (!result)
        return result.error();
    QList<SessionWithOwner> sessions;
    while ((*result)->next()) {
        int column = 0;
        SessionWithOwner row;
        row.session = rows::readSession(**result, column);
        row.username = textAt(**result, column++);
        sessions << row;
    }
    return sessions;
}

StoreResult<qint64> SessionRepository::sweepExpired(std::chrono::seconds retention)
{
    auto result = m_database.run(
        QStringLiteral("DELETE FROM sessions WHERE expires_at < ?::timestamptz - ?::bigint * interval '1 second'"),
        {m_database.now(), seconds(retention)});
    if (!result)
        return result.error();
    return qint64((*result)->numRowsAffected());
}

} // namespace daarion::store
