#pragma once
// ActorIdentity: the answer to "who is calling" that every DAARION service
// asks for (API.md). Humans are user:<uuid>, agents agent:<name>, services
// service:<name>. Roles keep the DAARION PDP's flat form; memberships say
// which role holds where.

#include <QList>
#include <QString>
#include <QStringList>

namespace daarion::identity {

enum class ActorType { Human, Agent, Service };
QString actorTypeName(ActorType type); // "human", "agent", "service"

struct Membership {
    QString microdaoId; // "microdao:7"
    QString role;       // "owner", "admin", "member"
};

// Membership role → PDP role: owner → microdao_owner, admin → admin, member → member.
QString pdpRoleFor(const QString &membershipRole);

struct ActorIdentity {
    QString actorId;
    ActorType actorType = ActorType::Human;
    QString userId;      // humans only
    QString username;    // humans only
    QString displayName; // humans only
    QList<Membership> memberships;

    QStringList microdaoIds() const; // in membership order, unique
    QStringList roles() const;       // unique PDP roles, in first-seen order
};

} // namespace daarion::identity
