#include "server/routes/introspection_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/caller.h"
#include "shared/identity/jwt.h"
#include "shared/identity/secret_token.h"
#include "shared/store/database.h"

#include <QDateTime>

namespace daarion::server {

namespace {

ApiResponse inactive() { return ApiResponse::json(QJsonObject{{QStringLiteral("active"), false}}); }

ApiResponse active(const identity::ActorIdentity &actor, const QDateTime &expiresAt)
{
    return ApiResponse::json(QJsonObject{{QStringLiteral("active"), true},
                                         {QStringLiteral("actor"), actorIdentityJson(actor)},
                                         {QStringLiteral("exp"), rfc3339(expiresAt)}});
}

// Only our failures are errors; anything about the token itself is "inactive".
bool isOurFailure(const identity::ServiceError &error)
{
    return error.code == identity::ErrorCode::Unavailable || error.code == identity::ErrorCode::InternalError;
}

} // namespace

void registerIntrospectionRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.post(QStringLiteral("/auth/introspect"), [&context](const ApiRequest &request) {
        store::Database &database = store::Database::forThisThread(context.database);
        auto caller = resolveCaller(request, context, database);
        if (!caller)
            return apiError(caller.error());
        if (!caller->isService())
            return apiError(identity::ErrorCode::Forbidden, QStringLiteral("only a service API key may introspect tokens"));

        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        const QJsonValue tokenValue = body.object.value(QLatin1String("token"));
        if (!tokenValue.isString())
            return invalidRequest(QStringLiteral("token is required"));
        const QString token = tokenValue.toString();
        if (token.isEmpty() || token.size() > identity::kMaxJwtLength)
            return inactive();

        if (identity::looksLikeJwt(token)) {
            if (context.settings.jwtSecret.isEmpty())
                return inactive();
            const identity::JwtVerdict verdict =
                identity::verifyJwt(token, context.settings.jwtSecret, context.clock.now());
            if (!verdict.valid)
                return inactive();
            return active(verdict.token.identity, verdict.token.expiresAt);
        }

        const identity::CredentialKind kind = identity::looksLikeApiKey(token) ? identity::CredentialKind::ApiKey
                                                                                : identity::CredentialKind::BearerToken;
        auto subject = identity::resolveCaller(database, identity::PresentedCredential{kind, token},
                                               context.settings.sessionIdleTimeout);
        if (!subject)
            return isOurFailure(subject.error()) ? apiError(subject.error()) : inactive();
        const QDateTime expiresAt = subject->session ? subject->session->session.expiresAt
                                                     : subject->apiKey->expiresAt;
        return active(subject->identity, expiresAt);
    });
}

} // namespace daarion::server
