#pragma once
// Writing microDAO memberships, the one way shared by the internal endpoint
// the microDAO service calls and the operator CLI: find the person (by user
// id or username), validate microDAO and role, and let the store change the
// row with its audit event.

#include "shared/identity/service_error.h"
#include "shared/store/membership_repository.h"
#include "shared/store/user_repository.h"

#include <QString>

namespace daarion::store {
class Database;
}

namespace daarion::identity {

bool isValidMembershipRole(const QString &role); // owner | admin | member

// A user by id (a UUID) or by username; not_found otherwise.
ServiceResult<store::UserRecord> findUserByIdOrName(store::Database &database, const QString &userIdOrName);

// invalid_request for a bad microDAO id or role; not_found for an unknown user.
ServiceResult<store::MembershipRecord> grantMembership(store::Database &database, const QString &userIdOrName,
                                                       const QString &microdaoId, const QString &role,
                                                       const store::AuditContext &audit);
// not_found when the user is unknown or was not a member.
ServiceCheck revokeMembership(store::Database &database, const QString &userIdOrName, const QString &microdaoId,
                              const store::AuditContext &audit);

} // namespace daarion::identity
