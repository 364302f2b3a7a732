#include "shared/store/audit_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace daarion::store {

QString actorForUser(const QUuid &userId)
{
    return QStringLiteral("user:") + userId.toString(QUuid::WithoutBraces);
}

QString actorForOperator(const QString &name)
{
    return QStringLiteral("operator:") + name;
}

QString actorForService(const QString &name)
{
    return QStringLiteral("service:") + name;
}

AuditEvent &AuditEvent::from(const AuditContext &context)
{
    actor = context.actor;
    clientIp = context.clientIp;
    userAgent = context.userAgent;
    return *this;
}

namespace {

// Client-controlled text is cut to what the columns allow rather than
// losing the audit row (and with it the change) over a long User-Agent.
QVariant bounded(const QString &text, int maxLength)
{
    return nullableText(text.isNull() ? text : text.left(maxLength));
}

} // namespace

StoreResult<qint64> AuditRepository::append(const AuditEvent &event)
{
    if (event.type == AuditEventType::Count)
        return storeError(StoreErrorKind::Failed, QStringLiteral("an audit event needs its type"));
    static const QString sql = QStringLiteral(
        "INSERT INTO auth_events (event, outcome, error_code, user_id, username, passkey_id, credential_id,"
        " session_id, client_ip, user_agent, actor, details)"
        " VALUES (?, ?, ?, ?::uuid, ?, ?::uuid, ?, ?::uuid, ?, ?, ?, ?::jsonb) RETURNING id");
    const QString details = QString::fromUtf8(
        QJsonDocument(QJsonObject::fromVariantMap(event.details)).toJson(QJsonDocument::Compact));
    auto result = m_database.run(
        sql, {QString(auditEventName(event.type)),
              event.success ? QStringLiteral("success") : QStringLiteral("failure"),
              bounded(event.errorCode, 64), nullableUuid(event.userId), bounded(event.username, 64),
              nullableUuid(event.passkeyId), bounded(event.credentialId, 1400), nullableUuid(event.sessionId),
              bounded(event.clientIp, 64), bounded(event.userAgent, 512), bounded(event.actor, 128), details});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("audit insert returned no id"));
    return (*result)->value(0).toLongLong();
}

StoreResult<AuditRecord> AuditRepository::findById(qint64 id)
{
    static const QString sql =
        QStringLiteral("SELECT ") + rows::auditColumns(QStringLiteral("e")) + QStringLiteral(" FROM auth_events e WHERE e.id = ?");
    auto result = m_database.run(sql, {id});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no audit event %1").arg(id));
    int column = 0;
    return rows::readAudit(**result, column);
}

namespace {

// One fixed statement for every filter combination: an unset filter binds
// NULL and its condition is true.
const QString auditWhere = QStringLiteral(
    " WHERE (?::text[] IS NULL OR e.event = ANY (?::text[]))"
    " AND (?::uuid IS NULL OR e.user_id = ?::uuid)"
    " AND (?::text IS NULL OR e.username = ?::text)"
    " AND (?::timestamptz IS NULL OR e.occurred_at >= ?::timestamptz)"
    " AND (?::timestamptz IS NULL OR e.occurred_at < ?::timestamptz)"
    " AND (?::text IS NULL OR e.outcome = ?::text)"
    " AND e.id > ?::bigint");

QVariantList auditWhereValues(const AuditFilter &filter)
{
    const QVariant events = filter.events.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                    : QVariant(textArrayLiteral(filter.events));
    const QVariant user = nullableUuid(filter.userId);
    const QVariant username = filter.username.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                        : QVariant(filter.username);
    const QVariant from = nullableDateTime(filter.from);
    const QVariant to = nullableDateTime(filter.to);
    const QVariant outcome = !filter.success.has_value() ? QVariant(QMetaType::fromType<QString>())
                             : *filter.success          ? QVariant(QStringLiteral("success"))
                                                        : QVariant(QStringLiteral("failure"));
    return {events, events, user, user, username, username, from, from, to, to, outcome, outcome, filter.afterId};
}

} // namespace

StoreResult<QList<AuditRecord>> AuditRepository::query(const AuditFilter &filter)
{
    static const QString sql = QStringLiteral("SELECT ") + rows::auditColumns(QStringLiteral("e")) +
                               QStringLiteral(" FROM auth_events e") + auditWhere +
                               QStringLiteral(" ORDER BY e.id DESC LIMIT ?::integer OFFSET ?::integer");
    QVariantList values = auditWhereValues(filter);
    values << rows::clampLimit(filter.limit) << rows::clampOffset(filter.offset);
    auto result = m_database.run(sql, values);
    if (!result)
        return result.error();
    QList<AuditRecord> records;
    while ((*result)->next()) {
        int column = 0;
        records << rows::readAudit(**result, column);
    }
    return records;
}

StoreResult<qint64> AuditRepository::count(const AuditFilter &filter)
{
    static const QString sql = QStringLiteral("SELECT count(*) FROM auth_events e") + auditWhere;
    auto result = m_database.run(sql, auditWhereValues(filter));
    if (!result)
        return result.error();
    return (*result)->next() ? (*result)->value(0).toLongLong() : 0;
}

StoreResult<QList<AuditRecord>> AuditRepository::accountActivity(const QUuid &userId,
                                                                 const QStringList &events,
                                                                 qint64 beforeId, int limit)
{
    static const QString sql =
        QStringLiteral("SELECT ") + rows::auditColumns(QStringLiteral("e")) +
        QStringLiteral(" FROM auth_events e WHERE e.user_id = ?::uuid"
                       " AND e.event = ANY (?::text[]) AND (?::bigint <= 0 OR e.id < ?::bigint)"
                       " ORDER BY e.id DESC LIMIT ?::integer");
    if (userId.isNull())
        return storeError(StoreErrorKind::InvalidInput,
                          QStringLiteral("account activity needs the account"));
    auto result = m_database.run(sql, {nullableUuid(userId), textArrayLiteral(events), beforeId,
                                       beforeId, rows::clampLimit(limit)});
    if (!result)
        return result.error();
    QList<AuditRecord> records;
    while ((*result)->next()) {
        int column = 0;
        records << rows::readAudit(**result, column);
    }
    return records;
}

StoreResult<QList<HourlyCount>> AuditRepository::hourlyCounts(int hours)
{
    static const QString sql = QStringLiteral(
        "SELECT h.hour,"
        " count(e.id) FILTER (WHERE e.event = 'login_success'),"
        " count(e.id) FILTER (WHERE e.event = 'login_failure')"
        " FROM generate_series(date_trunc('hour', now()) - (?::integer - 1) * interval '1 hour',"
        "                      date_trunc('hour', now()), interval '1 hour') AS h(hour)"
        " LEFT JOIN auth_events e ON e.occurred_at >= h.hour AND e.occurred_at < h.hour + interval '1 hour'"
        "  AND e.event IN ('login_success', 'login_failure')"
        " GROUP BY h.hour ORDER BY h.hour");
    auto result = m_database.run(sql, {qBound(1, hours, 24 * 31)});
    if (!result)
        return result.error();
    QList<HourlyCount> counts;
    while ((*result)->next()) {
        HourlyCount count;
        count.hour = timeAt(**result, 0);
        count.signIns = (*result)->value(1).toInt();
        count.failures = (*result)->value(2).toInt();
        counts << count;
    }
    return counts;
}

StoreResult<QStringList> AuditRepository::eventNames()
{
    auto result = m_database.run(QStringLiteral("SELECT DISTINCT event FROM auth_events ORDER BY event"));
    if (!result)
        return result.error();
    QStringList names;
    while ((*result)->next())
        names << (*result)->value(0).toString();
    return names;
}

} // namespace daarion::store
