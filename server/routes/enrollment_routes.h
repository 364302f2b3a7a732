#pragma once
// The account owner's side of enrollment links: GET /auth/enrollments (the
// account's pending links, including those still in their cooling-off
// delay) and DELETE /auth/enrollments/{id} (cancel one). Using a link is a
// registration ceremony (passkey_ceremony_routes); issuing one is the
// operator's (daarion-authd enroll, the console).

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server
{

void registerEnrollmentRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
