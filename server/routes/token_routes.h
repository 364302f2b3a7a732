#pragma once
// POST /auth/token: a valid session or API key exchanged for a JWT (HS256,
// 5 minutes) that PEPs check without a round trip. Answers 404 not_found
// while JWT_SECRET is unset. A JWT is never itself accepted here, so it
// cannot be used to extend its own life past a revocation.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerTokenRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
