#pragma once
// Every route group of the daemon, registered in one place.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

#include <QString>

namespace daarion::server {

// Empty on success; otherwise why the daemon cannot serve (names the setting).
[[nodiscard]] QString registerAllRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
