#include "shared/identity/actor_identity.h"

namespace daarion::identity {

QString actorTypeName(ActorType type)
{
    switch (type) {
    case ActorType::Human: return QStringLiteral("human");
    case ActorType::Agent: return QStringLiteral("agent");
    case ActorType::Service: return QStringLiteral("service");
    }
    return QStringLiteral("human");
}

QString pdpRoleFor(const QString &membershipRole)
{
    if (membershipRole == QLatin1String("owner"))
        return QStringLiteral("microdao_owner");
    return membershipRole;
}

QStringList ActorIdentity::microdaoIds() const
{
    QStringList ids;
    for (const Membership &membership : memberships) {
        if (!ids.contains(membership.microdaoId))
            ids.append(membership.microdaoId);
    }
    return ids;
}

QStringList ActorIdentity::roles() const
{
    QStringList result;
    for (const Membership &membership : memberships) {
        const QString role = pdpRoleFor(membership.role);
        if (!result.contains(role))
            result.append(role);
    }
    return result;
}

} // namespace daarion::identity
