#pragma once
// sessions: one row per issued token; only SHA-256 of the token is kept.
// Refreshing rotates: the old row gets rotated_at, a new row joins the same
// family with the family's absolute expiry. A rotated-out token presented
// again (to authenticate or to refresh) revokes the whole family and is
// reported as TokenReused.

#include "shared/store/audit_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/store_error.h"
#include "shared/store/user_repository.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <chrono>
#include <optional>

namespace daarion::store {

class Database;

enum class SessionState { Live, Expired, Revoked, Rotated };
QString sessionStateName(SessionState state); // "live" | "expired" | "revoked" | "rotated"

struct SessionRecord {
    QUuid id{};
    QUuid familyId{};
    QUuid userId{};
    QUuid passkeyId{};     // the passkey that signed in; null if deleted since
    QDateTime createdAt{};
    QDateTime lastSeenAt{};
    QDateTime expiresAt{}; // absolute
    QDateTime rotatedAt{};
    QDateTime revokedAt{};
    QString revokeReason{};
    QString clientIp{};
    QString userAgent{};
    SessionState state = SessionState::Live; // computed by the database when read
};

// What an authenticated request needs, in one round trip.
struct LiveSession {
    SessionRecord session{};
    UserRecord user{};
    QList<MembershipRecord> memberships{}; // ordered by microdao_id
};

struct NewSession {
    QUuid userId{};
    QUuid passkeyId{};                  // optional
    QByteArray tokenHash{};             // SHA-256 of the token, 32 bytes
    std::chrono::seconds lifetime{0}; // absolute lifetime from now
    QString clientIp{};
    QString userAgent{};
};

struct SessionWithOwner {
    SessionRecord session{};
    QString username{};
};

struct SessionQuery {
    QUuid userId{};                        // null = every user
    QString search{};                      // substring of username, client IP or user agent
    std::optional<SessionState> state{};   // only this state
    std::chrono::seconds idleTimeout{0}; // > 0: idle sessions count as expired
    int limit = 200;                     // clamped to 1..5000
    int offset = 0;
};

class SessionRepository
{
public:
    explicit SessionRepository(Database &database) : m_database(database) {}

    // Starts a new family. No audit row (the ceremony writes login_success).
    StoreResult<SessionRecord> create(const NewSession &session);

    // The live session with this token hash, its user and memberships, in one
    // statement; last_seen_at is touched at most once a minute.
    // InvalidSession if unknown, expired, idle longer than idleTimeout (> 0),
    // revoked, or its user is disabled; TokenReused (family revoked, audit
    // token_reused) if the token was rotated out.
    StoreResult<LiveSession> authenticate(const QByteArray &tokenHash, std::chrono::seconds idleTimeout);

    // Rotation (POST /auth/session/refresh): the old token stops working, the
    // new row keeps family and absolute expiry. Audit session_refresh.
    // InvalidSession / TokenReused as for authenticate().
    StoreResult<SessionRecord> rotate(const QByteArray &oldTokenHash, const QByteArray &newTokenHash,
                                      std::chrono::seconds idleTimeout, const AuditContext &context);

    // Logout with a token: ends that session, or with all=true every live
    // session of its user. Returns how many ended; audit logout.
    // InvalidSession if the token is not live.
    StoreResult<qint64> logout(const QByteArray &tokenHash, bool all, const AuditContext &context);

    // Revokes one live session. ownerId not null: it must be that user's
    // (else NotFound). Audit session_revoked.
    StoreResult<SessionRecord> revoke(const QUuid &sessionId, const QUuid &ownerId, const QString &reason,
                                      const AuditContext &context);
    // Revokes every live session of a user; returns how many. Audit session_revoked.
    StoreResult<qint64> revokeAllOfUser(const QUuid &userId, const QString &reason, const AuditContext &context);

    StoreResult<SessionRecord> findById(const QUuid &id); // NotFound
    // Newest first. liveOnly: only Live sessions (GET /auth/sessions).
    StoreResult<QList<SessionRecord>> listByUser(const QUuid &userId, bool liveOnly,
                                                 std::chrono::seconds idleTimeout);
    StoreResult<QList<SessionWithOwner>> list(const SessionQuery &query);

    // Deletes sessions whose absolute expiry is older than `retention`
    // (kept that long for the console and reuse detection); returns how many.
    StoreResult<qint64> sweepExpired(std::chrono::seconds retention = std::chrono::hours(24 * 7));

private:
    Database &m_database;
};

} // namespace daarion::store
