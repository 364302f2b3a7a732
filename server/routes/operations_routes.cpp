#include "server/routes/operations_routes.h"

#include "server/http/api_error.h"
#include "server/http/metrics.h"

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

    Metrics *metrics = &context.metrics;
    router.get(QStringLiteral("/metrics"), [metrics](const ApiRequest &) {
        return ApiResponse::raw(metrics->prometheusText(), "text/plain; version=0.0.4; charset=utf-8");
    }, RouteOptions{.execution = Execution::Inline});
}

} // namespace daarion::server
