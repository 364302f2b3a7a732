#pragma once
// Every route group of the daemon, registered in one place.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerAllRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
