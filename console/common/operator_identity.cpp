#include "console/common/operator_identity.h"

#include <QCoreApplication>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

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
#ifdef Q_OS_UNIX
    // No login environment (a service, a container): the account's name.
    if (const passwd *account = getpwuid(getuid()); account && account->pw_name && *account->pw_name)
        return QString::fromLocal8Bit(account->pw_name);
#endif
    return QStringLiteral("unknown");
}

} // namespace daarion::console
