#pragma once
// GET /auth/me, PATCH /auth/me (display_name), POST /auth/session/refresh, POST /auth/logout,
// GET /auth/sessions, DELETE /auth/sessions/{id}.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerSessionRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
