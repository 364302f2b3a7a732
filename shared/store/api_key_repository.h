#pragma once
// api_keys: keys of agents and services ("dk_…", shown once). Only SHA-256 of
// the key is stored, plus its first characters for display.

#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

namespace daarion::store {

class Database;

// Suspended: a person's key whose maker is disabled or no longer owner or
// admin of its microDAO; it works again if they are again.
enum class ApiKeyState { Live, Expired, Revoked, Suspended };
QString apiKeyStateName(ApiKeyState state); // "live" | "expired" | "revoked" | "suspended"

struct ApiKeyRecord {
    QUuid id{};
    QString keyPrefix{};
    QString actorType{};     // "agent" | "service"
    QString actorName{};
    QString microdaoId{};    // empty = not bound to one microDAO
    QUuid createdByUserId{}; // the person who made it; null once their row is gone
    bool issuedByOperator = false; // made with the operator CLI, by no person
    QDateTime createdAt{};
    QDateTime expiresAt{};   // null = never
    QDateTime lastUsedAt{};
    QDateTime revokedAt{};
    ApiKeyState state = ApiKeyState::Live; // computed by the database when read

    // Who the key acts as, one name per principal: "service:<name>",
    // "agent:<name>" for a platform agent (bound to no microDAO) and
    // "agent:<microDAO>/<name>" for a microDAO's ("agent:7/router" of
    // microdao:7). Neither part may hold '/', so no admin can mint the
    // identity of a platform agent or of another microDAO's.
    QString actorId() const;
};

struct NewApiKey {
    QByteArray keyHash{};    // SHA-256 of the key, 32 bytes
    QString keyPrefix{};     // e.g. "dk_AbCd1234" (≤ 16 chars)
    QString actorType{};
    QString actorName{};
    QString microdaoId{};    // optional
    QUuid createdByUserId{}; // the person making it; null: an operator
    QDateTime expiresAt{};   // optional
};

struct ApiKeyQuery {
    QString microdaoId{};    // empty = all
    QUuid createdByUserId{}; // null = all
    bool includeInactive = true; // revoked and expired too
    int limit = 500;       // clamped to 1..5000
    int offset = 0;
};

class ApiKeyRepository
{
public:
    explicit ApiKeyRepository(Database &database) : m_database(database) {}

    // Audit api_key_created. Conflict if the hash exists (never, for random keys).
    StoreResult<ApiKeyRecord> create(const NewApiKey &key, const AuditContext &context);

    // The live key with this hash (not revoked, not expired, and when a
    // person made it, that person not disabled and still owner or admin of
    // its microDAO), touching last_used_at at most once a minute; NotFound
    // otherwise. One statement.
    StoreResult<ApiKeyRecord> authenticate(const QByteArray &keyHash);

    StoreResult<ApiKeyRecord> findById(const QUuid &id); // NotFound
    StoreResult<QList<ApiKeyRecord>> list(const ApiKeyQuery &query); // newest first

    // NotFound if unknown or already revoked. When microdaoId is not empty the
    // key must be bound to that microDAO (an admin revokes only their own).
    // Audit api_key_revoked.
    StoreResult<ApiKeyRecord> revoke(const QUuid &id, const QString &microdaoId, const AuditContext &context);

private:
    Database &m_database;
};

} // namespace daarion::store
