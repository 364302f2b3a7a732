#pragma once
// Cross-site request forgery, refused before any handler runs. A browser
// sends the session cookie with whatever another site's page makes it send,
// but a page of another origin can only send application/json through a
// CORS preflight, which the CORS policy answers for allowed origins alone.
// So a request that changes state (POST, PUT, PATCH, DELETE) and whose
// credential would be the session cookie (no X-API-Key, no Authorization:
// Bearer, which nothing sends on its own) must be Content-Type:
// application/json, even with an empty body: otherwise 403 csrf_refused.

#include "server/http/api_request.h"
#include "server/http/api_response.h"
#include "server/http/session_cookie.h"

#include <optional>

namespace daarion::server
{

// The 403 csrf_refused for a forgeable request; nothing for one that may go on.
std::optional<ApiResponse> refuseForgeableCookieRequest(const ApiRequest &request,
                                                        const SessionCookie &cookie);

} // namespace daarion::server
