#pragma once
// With --demo: the sign-up / sign-in page of server/demo/ (embedded as Qt
// resources at :/demo/) at / and /enroll (enrollment links), its files at
// /demo/<file>.

#include "server/http/api_router.h"

namespace daarion::server {

// False when the daemon was built without the demo files.
bool demoPagesAvailable();
void registerDemoRoutes(ApiRouter &router);

} // namespace daarion::server
