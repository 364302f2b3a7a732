#pragma once
// users: accounts. A user is created by a sign-up (CeremonyRepository::
// completeRegistration) or by createUser(); operators disable and enable.

#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

namespace daarion::store {

class Database;

struct UserRecord {
    QUuid id{};
    QString username{};
    QString displayName{};
    QByteArray userHandle{}; // WebAuthn user.id (random, not the uuid)
    QDateTime createdAt{};
    QDateTime lastLoginAt{}; // null = never
    QDateTime disabledAt{};  // null = enabled
    bool disabled() const { return disabledAt.isValid(); }
};

// For the console's user list.
struct UserSummary {
    UserRecord user{};
    int passkeyCount = 0;
    int liveSessionCount = 0; // not revoked, rotated or past absolute expiry
};

struct UserQuery {
    QString search{};  // case-insensitive substring of username or display name; empty = all
    bool includeDisabled = true;
    int limit = 200; // clamped to 1..5000
    int offset = 0;
};

struct NewUser {
    QString username{};    // 3–32 of a-z 0-9 _ . - (the table CHECKs it too)
    QString displayName{}; // ≤ 64 characters
    QByteArray userHandle{};
};

class UserRepository
{
public:
    explicit UserRepository(Database &database) : m_database(database) {}

    StoreResult<UserRecord> findById(const QUuid &id);             // NotFound
    StoreResult<UserRecord> findByUsername(const QString &username); // NotFound
    StoreResult<UserRecord> findByUserHandle(const QByteArray &handle); // NotFound
    StoreResult<bool> usernameExists(const QString &username);

    // UsernameTaken if the name is in use. Writes no audit row (a sign-up's
    // audit row comes from completeRegistration).
    StoreResult<UserRecord> createUser(const NewUser &user);

    // Operator actions, each with its audit row (user_disabled / user_enabled).
    // Disabling also revokes the user's live sessions (reason "user_disabled").
    StoreResult<UserRecord> setDisabled(const QUuid &id, bool disabled, const AuditContext &context);

    // The person's own change (PATCH /auth/me), audited as display_name_changed.
    StoreResult<UserRecord> setDisplayName(const QUuid &id, const QString &displayName,
                                           const AuditContext &context);

    StoreResult<QList<UserSummary>> list(const UserQuery &query);
    StoreResult<UserSummary> summary(const QUuid &id);

private:
    Database &m_database;
};

} // namespace daarion::store
