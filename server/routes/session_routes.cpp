#include "server/routes/session_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/secret_token.h"
#include "shared/store/audit_repository.h"
#include "shared/store/database.h"

#include <QJsonArray>
#include <QUuid>

namespace daarion::server {

namespace {

store::AuditContext auditContextOf(const ApiRequest &request, const identity::Caller &caller)
{
    return store::AuditContext{caller.identity.actorId, request.clientAddress.toString(),
                               request.userAgent};
}

ApiResponse storeFailure(const store::StoreError &error)
{
    return apiError(identity::fromStore(error));
}

} // namespace

void registerSessionRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.get(QStringLiteral("/auth/me"), [&context](const ApiRequest &request) {
        store::Database &database = store::Database::forThisThread(context.database);
        auto caller = resolveCaller(request, context, database);
        if (!caller)
            return apiError(caller.error());
        return ApiResponse::json(actorIdentityJson(caller->identity));
    });

    router.patch(QStringLiteral("/auth/me"), [&context](const ApiRequest &request) {
        return withSignedInPerson(
            request, context, [&](store::Database &database, const identity::Caller &caller) {
                const JsonBody body = request.jsonBody();
                if (!body.ok())
                    return *body.error;
                const QJsonValue value = body.object.value(QLatin1String("display_name"));
                const QString name = value.toString().trimmed();
                if (!value.isString() || name.isEmpty() ||
                    !identity::PasskeyCeremonies::isValidDisplayName(name))
                    return invalidRequest(
                        QStringLiteral("display_name must be a string of 1-64 characters"));
                auto user = store::UserRepository(database).setDisplayName(
                    caller.session->user.id, name, auditContextOf(request, caller));
                if (!user)
                    return storeFailure(user.error());
                return ApiResponse::json(actorIdentityJson(
                    identity::identityOf(user.value(), caller.session->memberships)));
            });
    });

    router.post(QStringLiteral("/auth/session/refresh"), [&context](const ApiRequest &request) {
        return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
            const identity::IssuedSecret token = identity::issueSessionToken();
            auto rotated = store::SessionRepository(database).rotate(
                caller.tokenHash, token.hash, context.settings.sessionIdleTimeout,
                auditContextOf(request, caller));
            if (!rotated)
                return storeFailure(rotated.error());
            const identity::IssuedSession issued{rotated->id, token.text, rotated->expiresAt};
            ApiResponse response = ApiResponse::json(
                QJsonObject{{QStringLiteral("session_token"), token.text},
                            {QStringLiteral("expires_at"), rfc3339(rotated->expiresAt)}});
            // A browser holding the old token in its cookie gets the new one the same way.
            if (presentedCredential(request, context).kind == identity::CredentialKind::CookieToken)
                response.withHeader("Set-Cookie", sessionCookie(context, issued));
            return response;
        });
    });

    router.post(QStringLiteral("/auth/logout"), [&context](const ApiRequest &request) {
        return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
            const bool all = request.query.queryItemValue(QStringLiteral("all")) == QLatin1String("true");
            auto ended = store::SessionRepository(database).logout(caller.tokenHash, all,
                                                                  auditContextOf(request, caller));
            if (!ended)
                return storeFailure(ended.error());
            return ApiResponse::noContent().withHeader("Set-Cookie", clearedSessionCookie(context));
        });
    });

    router.get(QStringLiteral("/auth/sessions"), [&context](const ApiRequest &request) {
        return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
            auto sessions = store::SessionRepository(database).listByUser(
                caller.session->user.id, true, context.settings.sessionIdleTimeout);
            if (!sessions)
                return storeFailure(sessions.error());
            QJsonArray list;
            for (const store::SessionRecord &session : sessions.value())
                list.append(sessionJson(session, session.id == caller.session->session.id));
            return ApiResponse::json(QJsonObject{{QStringLiteral("sessions"), list}});
        });
    });

    router.del(QStringLiteral("/auth/sessions/<arg>"), [&context](const ApiRequest &request) {
        return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
            const QUuid id = QUuid::fromString(request.pathArguments.value(0));
            if (id.isNull())
                return notFound(QStringLiteral("no such session"));
            auto revoked = store::SessionRepository(database).revoke(
                id, caller.session->user.id, QStringLiteral("user"), auditContextOf(request, caller));
            if (!revoked)
                return storeFailure(revoked.error());
            return ApiResponse::noContent();
        });
    });
}

} // namespace daarion::server
