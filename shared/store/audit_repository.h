#pragma once
// auth_events: the append-only audit trail. Every ceremony outcome, session
// change and operator action appends one row in the same transaction as the
// change (repositories that change something take an AuditContext and do it
// for you). The console reads it back with filters and LISTENs on the
// 'auth_events' channel (payload: the new row's id).

#include "shared/store/audit_event_type.h"

#include "shared/store/store_error.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <QVariantMap>

#include <optional>

namespace daarion::store {

class Database;

// Who acted and from where; written into the audit row of a change.
struct AuditContext {
    QString
        actor{}; // actorForUser(), actorForOperator(), actorForService(), ApiKeyRecord::actorId()
    QString clientIp{};  // may be empty
    QString userAgent{}; // may be empty (longer than 512 chars is cut)
};

QString actorForUser(const QUuid &userId);          // "user:<uuid>"
QString actorForOperator(const QString &name);      // "operator:<name>"
QString actorForService(const QString &name);       // "service:<name>"

struct AuditEvent {
    AuditEventType type = AuditEventType::Count; // must be set: append() refuses Count
    bool success = true;    // outcome 'success' | 'failure'
    QString errorCode{};      // API error code for failures
    QUuid userId{};           // null = none
    QString username{};
    QUuid passkeyId{};
    QString credentialId{};
    QUuid sessionId{};
    QString clientIp{};
    QString userAgent{};
    QString actor{};
    QVariantMap details{};    // stored as jsonb

    // Copies actor, client IP and user agent from a context.
    AuditEvent &from(const AuditContext &context);
};

struct AuditRecord {
    qint64 id = 0;
    QDateTime occurredAt{};
    QString eventName{}; // as stored; event.type is Count when this build does not know it
    AuditEvent event{};
};

struct AuditFilter {
    QStringList events{};     // empty = all
    QUuid userId{};           // null = all
    QString username{};       // exact; empty = all
    QDateTime from{};         // inclusive; invalid = unbounded
    QDateTime to{};           // exclusive; invalid = unbounded
    std::optional<bool> success{}; // outcome filter
    qint64 afterId = 0;     // only rows with id > afterId (the live feed)
    int limit = 200;        // clamped to 1..5000
    int offset = 0;
};

struct HourlyCount {
    QDateTime hour{};         // start of the hour, UTC
    int signIns = 0;        // login_success
    int failures = 0;       // login_failure
};

class AuditRepository
{
public:
    explicit AuditRepository(Database &database) : m_database(database) {}

    // Inserts one row; joins the caller's transaction if one is open.
    StoreResult<qint64> append(const AuditEvent &event);

    StoreResult<AuditRecord> findById(qint64 id);
    // Newest first (id descending), filtered.
    StoreResult<QList<AuditRecord>> query(const AuditFilter &filter);
    StoreResult<qint64> count(const AuditFilter &filter); // same filter, ignoring limit/offset

    // One account's rows of these events, newest first (id descending),
    // older than `beforeId` when it is > 0, at most `limit` (1..5000): a
    // page of GET /auth/activity. Only rows whose user_id is `userId`.
    StoreResult<QList<AuditRecord>> accountActivity(const QUuid &userId, const QStringList &events,
                                                    qint64 beforeId, int limit);

    // One entry per hour for the last `hours` hours (oldest first, empty hours included).
    StoreResult<QList<HourlyCount>> hourlyCounts(int hours = 24);

    // Distinct event names present, for the console's filter list.
    StoreResult<QStringList> eventNames();

private:
    Database &m_database;
};

} // namespace daarion::store
