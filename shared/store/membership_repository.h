#pragma once
// user_microdao_memberships: which microDAOs a user belongs to and with which
// role ('owner' | 'admin' | 'member'). Mapping roles to the PDP's flat names
// is the identity layer's business.

#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

namespace daarion::store {

class Database;

struct MembershipRecord {
    QUuid userId{};
    QString username{};   // filled by listings
    QString microdaoId{}; // "microdao:7"
    QString role{};       // owner | admin | member
    QDateTime createdAt{};
};

class MembershipRepository
{
public:
    explicit MembershipRepository(Database &database) : m_database(database) {}

    // Ordered by microdao_id.
    StoreResult<QList<MembershipRecord>> listByUser(const QUuid &userId);
    // Ordered by username.
    StoreResult<QList<MembershipRecord>> listByMicrodao(const QString &microdaoId);
    // Everything (console), ordered by microdao_id, username; limit clamped to 1..5000.
    StoreResult<QList<MembershipRecord>> listAll(int limit = 1000, int offset = 0);
    // NotFound when the user is not a member.
    StoreResult<MembershipRecord> find(const QUuid &userId, const QString &microdaoId);

    // Adds the membership or changes its role; audit membership_granted.
    // NotFound if the user does not exist; InvalidInput for a bad id or role.
    StoreResult<MembershipRecord> grant(const QUuid &userId, const QString &microdaoId, const QString &role,
                                        const AuditContext &context);
    // NotFound when there was none; audit membership_revoked.
    StoreCheck revoke(const QUuid &userId, const QString &microdaoId, const AuditContext &context);

private:
    Database &m_database;
};

} // namespace daarion::store
