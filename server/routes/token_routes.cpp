#include "server/routes/token_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/jwt.h"
#include "shared/store/database.h"

#include <QDateTime>

namespace daarion::server {

void registerTokenRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.post(QStringLiteral("/auth/token"), [&context](const ApiRequest &request) {
        if (context.settings.jwtSecret.isEmpty())
            return notFound(QStringLiteral("signed tokens are off on this server (JWT_SECRET is not set)"));
        store::Database &database = store::Database::forThisThread(context.database);
        auto caller = resolveCaller(request, context, database);
        if (!caller)
            return apiError(caller.error());
        const identity::IssuedJwt jwt =
            identity::issueJwt(caller->identity, context.settings.jwtSecret, context.clock.now());
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("token"), jwt.token},
            {QStringLiteral("token_type"), QStringLiteral("Bearer")},
            {QStringLiteral("expires_in"), qint64(identity::kJwtLifetime.count())},
            {QStringLiteral("expires_at"), rfc3339(jwt.expiresAt)},
        });
    });
}

} // namespace daarion::server
