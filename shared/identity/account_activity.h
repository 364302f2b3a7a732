#pragma once
// GET /auth/activity: what a person sees of the audit trail about their own
// account — sign-ins and failed sign-ins, passkeys added, renamed, removed,
// disabled or flagged, sessions ended, enrollment links issued, used or
// cancelled, the account disabled or renamed. Token rotations and operator
// bookkeeping (memberships, API keys) are not security events of the
// person's and stay out. Only rows of the caller's own account, ever.

#include "shared/identity/service_error.h"
#include "shared/store/audit_repository.h"

#include <QList>
#include <QUuid>

namespace daarion::store
{
class Database;
}

namespace daarion::identity
{

// Whether a person sees events of this type in their activity.
bool isAccountActivity(store::AuditEventType type);

inline constexpr int kDefaultActivityPage = 50;
inline constexpr int kMaxActivityPage = 100;

struct ActivityPage {
    QList<store::AuditRecord> events; // newest first
    qint64 nextBefore = 0;            // the id to pass as `before` for the next page; 0: none
};

// A page of `userId`'s activity older than `beforeId` (> 0) or from the
// newest; `limit` 1..kMaxActivityPage.
ServiceResult<ActivityPage> accountActivity(store::Database &database, const QUuid &userId,
                                            qint64 beforeId, int limit);

} // namespace daarion::identity
