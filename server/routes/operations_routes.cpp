#include "server/routes/operations_routes.h"

#include "server/http/api_error.h"
#include "server/http/metrics.h"
#include "shared/identity/caller.h"
#include "shared/webauthn/bytes.h"

#include <QCryptographicHash>

#include <QJsonObject>

namespace daarion::server {

void registerOperationsRoutes(ApiRouter &router, const ServiceContext &context)
{
    // Inline: a liveness probe must answer even when every worker is busy.
    router.get(QStringLiteral("/health"), [](const ApiRequest &) {
        return ApiResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    }, RouteOptions{.execution = Execution::Inline});

    // On the pool: it asks the database.
    auto readiness = context.readiness;
    router.get(QStringLiteral("/ready"), [readiness](const ApiRequest &) {
        const Readiness state = readiness ? readiness() : Readiness{false, QStringLiteral("no database configured")};
        if (!state.ready)
            return unavailable(state.reason);
        return ApiResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ready")}});
    });

    // With METRICS_TOKEN the scraper proves it knows the token; only hashes
    // of equal length are compared, in constant time.
    Metrics *metrics = &context.metrics;
    const QByteArray tokenHash =
        context.settings.metricsToken.isEmpty()
            ? QByteArray()
            : QCryptographicHash::hash(context.settings.metricsToken, QCryptographicHash::Sha256);
    router.get(
        QStringLiteral("/metrics"),
        [metrics, tokenHash](const ApiRequest &request) {
            if (!tokenHash.isEmpty()) {
                const auto presented = identity::bearerToken(request.header("authorization"));
                if (!presented ||
                    !webauthn::constantTimeEquals(
                        QCryptographicHash::hash(*presented, QCryptographicHash::Sha256),
                        tokenHash))
                    return apiError(
                               identity::ErrorCode::Unauthenticated,
                               QStringLiteral(
                                   "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>."))
                        .withHeader("WWW-Authenticate", "Bearer");
            }
            return ApiResponse::raw(metrics->prometheusText(),
                                    "text/plain; version=0.0.4; charset=utf-8");
        },
        RouteOptions{.execution = Execution::Inline});
}

} // namespace daarion::server
