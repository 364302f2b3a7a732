#pragma once
// POST /auth/passkey/register/start|finish and /auth/passkey/authenticate/start|finish.

#include "server/http/api_router.h"
#include "server/http/service_context.h"

#include <QString>

namespace daarion::server {

// Empty on success; otherwise why the routes cannot serve (a bad
// ATTESTATION_ROOTS directory), naming the setting.
QString registerPasskeyCeremonyRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
