#include "shared/identity/account_activity.h"

#include "shared/store/database.h"

#include <QStringList>

namespace daarion::identity
{

bool isAccountActivity(store::AuditEventType type)
{
    using store::AuditEventType;
    switch (type) {
    case AuditEventType::Registration:
    case AuditEventType::RegistrationFailure:
    case AuditEventType::LoginSuccess:
    case AuditEventType::LoginFailure:
    case AuditEventType::Logout:
    case AuditEventType::SessionRevoked:
    case AuditEventType::TokenReused:
    case AuditEventType::CounterRegression:
    case AuditEventType::CounterRegressionCleared:
    case AuditEventType::PasskeyAdded:
    case AuditEventType::PasskeyDeleted:
    case AuditEventType::PasskeyRenamed:
    case AuditEventType::PasskeyDisabled:
    case AuditEventType::PasskeyEnabled:
    case AuditEventType::PasskeyFlagged:
    case AuditEventType::UserDisabled:
    case AuditEventType::UserEnabled:
    case AuditEventType::EnrollmentIssued:
    case AuditEventType::EnrollmentUsed:
    case AuditEventType::EnrollmentRevoked:
    case AuditEventType::DisplayNameChanged:
        return true;
    case AuditEventType::SessionRefresh:
    case AuditEventType::MembershipGranted:
    case AuditEventType::MembershipRevoked:
    case AuditEventType::ApiKeyCreated:
    case AuditEventType::ApiKeyRevoked:
    case AuditEventType::MetadataImported: // the service's, not an account's
    case AuditEventType::Count:
        return false;
    }
    return false;
}

namespace
{
QStringList activityEventNames()
{
    QStringList names;
    for (const store::AuditEventSpec &spec : store::kAuditEventTable) {
        if (isAccountActivity(spec.type))
            names.append(QString::fromLatin1(spec.name));
    }
    return names;
}
} // namespace

ServiceResult<ActivityPage> accountActivity(store::Database &database, const QUuid &userId,
                                            qint64 beforeId, int limit)
{
    static const QStringList events = activityEventNames();
    const int pageSize = qBound(1, limit, kMaxActivityPage);
    // One row more than asked says whether an older page exists.
    auto rows =
        store::AuditRepository(database).accountActivity(userId, events, beforeId, pageSize + 1);
    if (!rows)
        return fromStore(rows.error());
    ActivityPage page;
    page.events = std::move(rows).value();
    if (page.events.size() > pageSize) {
        page.events.resize(pageSize);
        page.nextBefore = page.events.last().id;
    }
    return page;
}

} // namespace daarion::identity
