#pragma once
// GET /auth/passkeys, PATCH /auth/passkeys/{id} (device_name),
// DELETE /auth/passkeys/{id} (never the last one).

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerPasskeyRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
