#pragma once
// GET /.well-known/webauthn: the WebAuthn L3 related origins file,
// {"origins": [RELATED_ORIGINS…]}. A browser on one of those origins fetches
// it from https://<RP ID>/.well-known/webauthn before letting that page use
// this RP ID, so a reverse proxy in front of the RP ID's host forwards this
// path here. Registered only when RELATED_ORIGINS is set: otherwise the path
// is unknown (404 not_found), as the specification asks.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server
{

void registerWellKnownRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
