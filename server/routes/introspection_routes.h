#pragma once
// POST /auth/introspect {"token": "…"}: a service (the messaging PEP before
// send_message) asks whether a session token, API key or JWT of this service
// is alive and whose it is. Only a service API key may ask. The answer is
// {"active": true, "actor": ActorIdentity, "exp": RFC 3339 or null} or
// {"active": false}: a dead, unknown, expired or tampered token is an
// answer, never an error.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerIntrospectionRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
