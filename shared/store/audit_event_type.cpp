#include "shared/store/audit_event_type.h"

namespace daarion::store
{

std::optional<AuditEventType> auditEventTypeFromName(QStringView name)
{
    for (const AuditEventSpec &spec : kAuditEventTable) {
        if (name == QLatin1StringView(spec.name))
            return spec.type;
    }
    return std::nullopt;
}

} // namespace daarion::store
