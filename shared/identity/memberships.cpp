#include "shared/identity/memberships.h"

#include "shared/identity/api_keys.h"

#include <QUuid>

namespace daarion::identity {

namespace {
constexpr qsizetype kMaxUserReference = 64;
} // namespace

bool isValidMembershipRole(const QString &role)
{
    return role == QLatin1String("owner") || role == QLatin1String("admin") || role == QLatin1String("member");
}

ServiceResult<store::UserRecord> findUserByIdOrName(store::Database &database, const QString &userIdOrName)
{
    if (userIdOrName.isEmpty() || userIdOrName.size() > kMaxUserReference)
        return serviceError(ErrorCode::NotFound, QStringLiteral("No such user."));
    store::UserRepository users(database);
    const QUuid id = QUuid::fromString(userIdOrName);
    auto user = id.isNull() ? users.findByUsername(userIdOrName) : users.findById(id);
    if (!user) {
        if (user.kind() == store::StoreErrorKind::NotFound)
            return serviceError(ErrorCode::NotFound, QStringLiteral("No such user."));
        return fromStore(user.error());
    }
    return std::move(user).value();
}

ServiceResult<store::MembershipRecord> grantMembership(store::Database &database, const QString &userIdOrName,
                                                       const QString &microdaoId, const QString &role,
                                                       const store::AuditContext &audit)
{
    if (!isValidMicrodaoId(microdaoId))
        return serviceError(ErrorCode::InvalidRequest,
                            QStringLiteral("microdao_id must look like microdao:<1-64 of A-Z a-z 0-9 _ . ->"));
    if (!isValidMembershipRole(role))
        return serviceError(ErrorCode::InvalidRequest, QStringLiteral("role must be owner, admin or member"));
    auto user = findUserByIdOrName(database, userIdOrName);
    if (!user)
        return user.error();
    auto granted = store::MembershipRepository(database).grant(user->id, microdaoId, role, audit);
    if (!granted)
        return fromStore(granted.error());
    return std::move(granted).value();
}

ServiceCheck revokeMembership(store::Database &database, const QString &userIdOrName, const QString &microdaoId,
                              const store::AuditContext &audit)
{
    if (!isValidMicrodaoId(microdaoId))
        return serviceError(ErrorCode::NotFound, QStringLiteral("No such membership."));
    auto user = findUserByIdOrName(database, userIdOrName);
    if (!user)
        return user.error();
    auto revoked = store::MembershipRepository(database).revoke(user->id, microdaoId, audit);
    if (!revoked) {
        if (revoked.kind() == store::StoreErrorKind::NotFound)
            return serviceError(ErrorCode::NotFound, QStringLiteral("That user is not a member of that microDAO."));
        return fromStore(revoked.error());
    }
    return webauthn::Ok{};
}

} // namespace daarion::identity
