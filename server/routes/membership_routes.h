#pragma once
// The internal endpoint through which the microDAO service writes
// memberships; only a service API key may call it (anyone else: 403, nobody:
// 401). Every change is an audit event with actor service:<name>.
//   GET    /internal/memberships/{microdao_id}          the members
//   PUT    /internal/memberships/{microdao_id}/{user}   {"role": "owner|admin|member"}
//   DELETE /internal/memberships/{microdao_id}/{user}
// {user} is a user id (UUID) or a username.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerMembershipRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
