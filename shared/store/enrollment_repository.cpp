#include "shared/store/enrollment_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store
{

QString enrollmentKindName(EnrollmentKind kind)
{
    return kind == EnrollmentKind::Invite ? QStringLiteral("invite") : QStringLiteral("recovery");
}

QString enrollmentStateName(EnrollmentState state)
{
    switch (state) {
    case EnrollmentState::Waiting:
        return QStringLiteral("waiting");
    case EnrollmentState::Usable:
        return QStringLiteral("usable");
    case EnrollmentState::Used:
        return QStringLiteral("used");
    case EnrollmentState::Revoked:
        return QStringLiteral("revoked");
    case EnrollmentState::Expired:
        return QStringLiteral("expired");
    }
    return QStringLiteral("expired");
}

EnrollmentState EnrollmentRecord::stateAt(const QDateTime &now) const
{
    if (usedAt.isValid())
        return EnrollmentState::Used;
    if (revokedAt.isValid())
        return EnrollmentState::Revoked;
    if (expiresAt <= now)
        return EnrollmentState::Expired;
    if (usableAt > now)
        return EnrollmentState::Waiting;
    return EnrollmentState::Usable;
}

namespace
{

const QString enrollmentSelect =
    QStringLiteral("SELECT ") + rows::enrollmentColumns(QStringLiteral("e"), QStringLiteral("u")) +
    QStringLiteral(" FROM enrollments e JOIN users u ON u.id = e.user_id");

// Binds the clock's now.
const QString pendingCondition =
    QStringLiteral("e.used_at IS NULL AND e.revoked_at IS NULL AND e.expires_at > ?::timestamptz");

qint64 seconds(std::chrono::seconds duration)
{
    return qint64(duration.count());
}

StoreResult<EnrollmentRecord> oneEnrollment(Database &database, const QString &sql,
                                            const QVariantList &values)
{
    auto result = database.run(sql, values);
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such enrollment link"));
    int column = 0;
    return rows::readEnrollment(**result, column);
}

AuditEvent enrollmentEvent(AuditEventType type, const EnrollmentRecord &enrollment,
                           const AuditContext &context)
{
    AuditEvent event;
    event.type = type;
    event.userId = enrollment.userId;
    event.username = enrollment.username;
    event.from(context);
    event.details.insert(QStringLiteral("enrollment_id"),
                         enrollment.id.toString(QUuid::WithoutBraces));
    event.details.insert(QStringLiteral("kind"), enrollmentKindName(enrollment.kind));
    return event;
}

// Revokes the pending links that `SET … WHERE` selects and writes one
// enrollment_revoked row for each; returns how many.
StoreResult<qint64> revokeWithAudit(Database &database, const QString &sql,
                                    const QVariantList &values, const QString &reason,
                                    const AuditContext &context,
                                    const QVariantMap &extraDetails = {})
{
    auto revoked = database.run(sql, values);
    if (!revoked)
        return revoked.error();
    QList<EnrollmentRecord> records;
    while ((*revoked)->next()) {
        int column = 0;
        records << rows::readEnrollment(**revoked, column);
    }
    for (const EnrollmentRecord &record : records) {
        AuditEvent event = enrollmentEvent(AuditEventType::EnrollmentRevoked, record, context);
        event.details.insert(QStringLiteral("reason"), reason);
        for (auto it = extraDetails.begin(); it != extraDetails.end(); ++it)
            event.details.insert(it.key(), it.value());
        if (auto audited = AuditRepository(database).append(event); !audited)
            return audited.error();
    }
    return qint64(records.size());
}

QString revokeReturning(const QString &where)
{
    return QStringLiteral(
               "WITH e AS (UPDATE enrollments e SET revoked_at = ?::timestamptz, revoked_by = ?,"
               " revoke_reason = ? WHERE ") +
           where + QStringLiteral(" RETURNING e.*) SELECT ") +
           rows::enrollmentColumns(QStringLiteral("e"), QStringLiteral("u")) +
           QStringLiteral(" FROM e JOIN users u ON u.id = e.user_id ORDER BY e.created_at, e.id");
}

} // namespace

StoreResult<IssuedEnrollment> EnrollmentRepository::issue(const NewEnrollment &enrollment)
{
    static const QString lockUser = QStringLiteral("SELECT ") +
                                    rows::userColumns(QStringLiteral("u")) +
                                    QStringLiteral(" FROM users u WHERE u.id = ?::uuid FOR UPDATE");
    static const QString insert =
        QStringLiteral("WITH e AS (INSERT INTO enrollments (user_id, token_hash, kind, note, "
                       "issued_by, created_at,"
                       " usable_at, expires_at) SELECT ?::uuid, ?::bytea, ?, ?, ?, t.now,"
                       " t.now + ?::bigint * interval '1 second',"
                       " t.now + (?::bigint + ?::bigint) * interval '1 second'"
                       " FROM (SELECT ?::timestamptz AS now) t RETURNING *) SELECT ") +
        rows::enrollmentColumns(QStringLiteral("e"), QStringLiteral("u")) +
        QStringLiteral(" FROM e JOIN users u ON u.id = e.user_id");
    static const QString supersede = revokeReturning(
        QStringLiteral("e.user_id = ?::uuid AND e.id <> ?::uuid AND e.used_at IS NULL"
                       " AND e.revoked_at IS NULL AND e.expires_at > ?::timestamptz"));

    if (enrollment.delay < std::chrono::seconds(0) || enrollment.delay > kMaxEnrollmentDelay ||
        enrollment.lifetime < kMinEnrollmentLifetime ||
        enrollment.lifetime > kMaxEnrollmentLifetime)
        return storeError(
            StoreErrorKind::InvalidInput,
            QStringLiteral("a link's delay is 0 to 7 days and its lifetime 5 minutes to 7 days"));
    if (enrollment.note.size() > 200)
        return storeError(StoreErrorKind::InvalidInput,
                          QStringLiteral("a link's note is at most 200 characters"));
    if (enrollment.tokenHash.size() != 32)
        return storeError(StoreErrorKind::InvalidInput, QStringLiteral("a token hash is 32 bytes"));
    const QString issuer = enrollment.context.actor.left(128);
    if (issuer.isEmpty())
        return storeError(StoreErrorKind::InvalidInput, QStringLiteral("a link needs its issuer"));

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    IssuedEnrollment issued;
    const bool invite = enrollment.invite.has_value();
    if (invite) {
        auto created = UserRepository(m_database).createUser(*enrollment.invite);
        if (!created)
            return created.error();
        issued.user = std::move(created).value();
    } else {
        // Locked: an operator disabling the account at the same moment
        // either comes first (refused here) or sees the link.
        auto locked = m_database.run(lockUser, {nullableUuid(enrollment.userId)});
        if (!locked)
            return locked.error();
        if (!(*locked)->next())
            return storeError(StoreErrorKind::NotFound, QStringLiteral("no such account"));
        int column = 0;
        issued.user = rows::readUser(**locked, column);
        if (issued.user.disabled())
            return storeError(StoreErrorKind::Disabled, QStringLiteral("the account is disabled"));
    }

    const QDateTime now = m_database.now();
    auto inserted = oneEnrollment(
        m_database, insert,
        {nullableUuid(issued.user.id), enrollment.tokenHash,
         enrollmentKindName(invite ? EnrollmentKind::Invite : EnrollmentKind::Recovery),
         enrollment.note.isNull() ? QStringLiteral("") : enrollment.note, issuer,
         seconds(enrollment.delay), seconds(enrollment.delay), seconds(enrollment.lifetime), now});
    if (!inserted)
        return inserted.error();
    issued.enrollment = std::move(inserted).value();

    const QVariantMap supersededBy{
        {QStringLiteral("superseded_by"), issued.enrollment.id.toString(QUuid::WithoutBraces)}};
    auto superseded =
        revokeWithAudit(m_database, supersede,
                        {now, issuer, QStringLiteral("superseded"), nullableUuid(issued.user.id),
                         nullableUuid(issued.enrollment.id), now},
                        QStringLiteral("superseded"), enrollment.context, supersededBy);
    if (!superseded)
        return superseded.error();
    issued.superseded = superseded.value();

    AuditEvent event =
        enrollmentEvent(AuditEventType::EnrollmentIssued, issued.enrollment, enrollment.context);
    event.details.insert(QStringLiteral("usable_at"),
                         issued.enrollment.usableAt.toUTC().toString(Qt::ISODate));
    event.details.insert(QStringLiteral("expires_at"),
                         issued.enrollment.expiresAt.toUTC().toString(Qt::ISODate));
    if (invite)
        event.details.insert(QStringLiteral("account_created"), true);
    if (issued.superseded > 0)
        event.details.insert(QStringLiteral("superseded"), issued.superseded);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return issued;
}

StoreResult<EnrollmentRecord> EnrollmentRepository::findByTokenHash(const QByteArray &tokenHash)
{
    static const QString sql = enrollmentSelect + QStringLiteral(" WHERE e.token_hash = ?::bytea");
    return oneEnrollment(m_database, sql, {tokenHash});
}

StoreResult<EnrollmentRecord> EnrollmentRepository::findById(const QUuid &id)
{
    static const QString sql = enrollmentSelect + QStringLiteral(" WHERE e.id = ?::uuid");
    return oneEnrollment(m_database, sql, {nullableUuid(id)});
}

StoreResult<QList<EnrollmentRecord>> EnrollmentRepository::listPending(const QUuid &userId)
{
    static const QString sql =
        enrollmentSelect + QStringLiteral(" WHERE (?::uuid IS NULL OR e.user_id = ?::uuid) AND ") +
        pendingCondition + QStringLiteral(" ORDER BY e.created_at DESC, e.id LIMIT 5000");
    const QVariant user = nullableUuid(userId);
    auto result = m_database.run(sql, {user, user, m_database.now()});
    if (!result)
        return result.error();
    QList<EnrollmentRecord> links;
    while ((*result)->next()) {
        int column = 0;
        links << rows::readEnrollment(**result, column);
    }
    return links;
}

StoreResult<EnrollmentRecord> EnrollmentRepository::revoke(const QUuid &id, const QUuid &ownerId,
                                                           const QString &reason,
                                                           const AuditContext &context)
{
    static const QString sql = revokeReturning(
        QStringLiteral("e.id = ?::uuid AND (?::uuid IS NULL OR e.user_id = ?::uuid) AND ") +
        pendingCondition);
    const QString why = reason.isEmpty() ? QStringLiteral("revoked") : reason.left(64);
    const QString by =
        context.actor.isEmpty() ? QStringLiteral("unknown") : context.actor.left(128);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QDateTime now = m_database.now();
    const QVariant owner = nullableUuid(ownerId);
    auto revoked = revokeWithAudit(
        m_database, sql, {now, by, why, nullableUuid(id), owner, owner, now}, why, context);
    if (!revoked)
        return revoked.error();
    if (revoked.value() == 0)
        return storeError(StoreErrorKind::NotFound,
                          QStringLiteral("no pending enrollment link with this id"));
    auto record = findById(id);
    if (!record)
        return record.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return record;
}

StoreResult<EnrollmentRecord> EnrollmentRepository::use(const QUuid &id, const QUuid &userId,
                                                        const QUuid &passkeyId)
{
    // One statement: the row lock it takes makes a racing use wait and then
    // find used_at set (READ COMMITTED re-checks the condition), so exactly
    // one of two finishes wins.
    static const QString sql = QStringLiteral("WITH e AS (UPDATE enrollments e SET used_at = "
                                              "?::timestamptz, used_passkey_id = ?::uuid"
                                              " WHERE e.id = ?::uuid AND e.user_id = ?::uuid AND "
                                              "e.used_at IS NULL AND e.revoked_at IS NULL"
                                              " AND e.usable_at <= ?::timestamptz AND e.expires_at "
                                              "> ?::timestamptz RETURNING e.*) SELECT ") +
                               rows::enrollmentColumns(QStringLiteral("e"), QStringLiteral("u")) +
                               QStringLiteral(" FROM e JOIN users u ON u.id = e.user_id");
    const QDateTime now = m_database.now();
    auto used = oneEnrollment(
        m_database, sql,
        {now, nullableUuid(passkeyId), nullableUuid(id), nullableUuid(userId), now, now});
    if (!used && used.kind() == StoreErrorKind::NotFound)
        return storeError(
            StoreErrorKind::EnrollmentInvalid,
            QStringLiteral(
                "the enrollment link is not usable now (used, revoked, expired or waiting)"));
    return used;
}

} // namespace daarion::store
