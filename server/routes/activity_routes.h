#pragma once
// GET /auth/activity?limit=50&before=<id>: the caller's own security events,
// newest first, a page at a time (identity/account_activity.h says which).

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server
{

void registerActivityRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
