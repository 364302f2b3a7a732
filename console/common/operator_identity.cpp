#include "console/common/operator_identity.h"

#include <QCoreApplication>

namespace daarion::console {

store::AuditContext OperatorIdentity::auditContext() const
{
    store::AuditContext context;
    context.actor = store::actorForOperator(name);
    context.userAgent = QStringLiteral("daarion-auth-console/") + QCoreApplication::applicationVersion();
    return context;
}

QString OperatorIdentity::systemUserName()
{
    for (const char *variable : {"USER", "LOGNAME", "USERNAME"}) {
        const QString value = qEnvironmentVariable(variable).trimmed();
        if (!value.isEmpty())
            return value;
    }
    return QStringLiteral("unknown");
}

} // namespace daarion::console
