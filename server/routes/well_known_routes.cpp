#include "server/routes/well_known_routes.h"

#include <QJsonArray>
#include <QJsonObject>

namespace daarion::server
{

void registerWellKnownRoutes(ApiRouter &router, const ServiceContext &context)
{
    if (context.settings.relatedOrigins.isEmpty())
        return;
    // Settings do not change while serving: the body is made once.
    const ApiResponse file =
        ApiResponse::json(
            QJsonObject{{QStringLiteral("origins"),
                         QJsonArray::fromStringList(context.settings.relatedOrigins)}})
            .withHeader("Cache-Control", "public, max-age=3600");
    router.get(
        QStringLiteral("/.well-known/webauthn"), [file](const ApiRequest &) { return file; },
        RouteOptions{.execution = Execution::Inline});
}

} // namespace daarion::server
