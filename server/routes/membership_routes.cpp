#include "server/routes/membership_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/api_keys.h"
#include "shared/identity/memberships.h"
#include "shared/store/database.h"

#include <QJsonArray>
#include <QUuid>

namespace daarion::server {

namespace {

template <typename Body>
ApiResponse withServiceKey(const ApiRequest &request, const ServiceContext &context, Body body)
{
    store::Database &database = store::Database::forThisThread(context.database);
    auto caller = resolveCaller(request, context, database);
    if (!caller)
        return apiError(caller.error());
    if (!caller->isService())
        return apiError(identity::ErrorCode::Forbidden, QStringLiteral("only a service API key may change memberships"));
    const store::AuditContext audit{caller->identity.actorId, request.clientAddress.toString(), request.userAgent};
    return body(database, audit);
}

QJsonObject membershipJson(const store::MembershipRecord &membership, const QString &username)
{
    return QJsonObject{
        {QStringLiteral("user_id"), membership.userId.toString(QUuid::WithoutBraces)},
        {QStringLiteral("username"), username},
        {QStringLiteral("microdao_id"), membership.microdaoId},
        {QStringLiteral("role"), membership.role},
        {QStringLiteral("created_at"), rfc3339(membership.createdAt)},
    };
}

} // namespace

void registerMembershipRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.get(QStringLiteral("/internal/memberships/<arg>"), [&context](const ApiRequest &request) {
        return withServiceKey(request, context, [&](store::Database &database, const store::AuditContext &) {
            const QString microdao = request.pathArguments.value(0);
            if (!identity::isValidMicrodaoId(microdao))
                return invalidRequest(QStringLiteral("not a microDAO id"));
            auto members = store::MembershipRepository(database).listByMicrodao(microdao);
            if (!members)
                return apiError(identity::fromStore(members.error()));
            QJsonArray list;
            for (const store::MembershipRecord &membership : members.value())
                list.append(membershipJson(membership, membership.username));
            return ApiResponse::json(QJsonObject{{QStringLiteral("microdao_id"), microdao},
                                                 {QStringLiteral("memberships"), list}});
        });
    });

    router.put(QStringLiteral("/internal/memberships/<arg>/<arg>"), [&context](const ApiRequest &request) {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        const QJsonValue role = body.object.value(QLatin1String("role"));
        if (!role.isString())
            return invalidRequest(QStringLiteral("role is required: owner, admin or member"));
        return withServiceKey(request, context, [&](store::Database &database, const store::AuditContext &audit) {
            const QString user = request.pathArguments.value(1);
            auto granted = identity::grantMembership(database, user, request.pathArguments.value(0),
                                                     role.toString(), audit);
            if (!granted)
                return apiError(granted.error());
            auto person = identity::findUserByIdOrName(database, user);
            return ApiResponse::json(membershipJson(granted.value(), person ? person->username : QString()));
        });
    });

    router.del(QStringLiteral("/internal/memberships/<arg>/<arg>"), [&context](const ApiRequest &request) {
        return withServiceKey(request, context, [&](store::Database &database, const store::AuditContext &audit) {
            auto revoked = identity::revokeMembership(database, request.pathArguments.value(1),
                                                      request.pathArguments.value(0), audit);
            if (!revoked)
                return apiError(revoked.error());
            return ApiResponse::noContent();
        });
    });
}

} // namespace daarion::server
