#pragma once
// The route side of "who is calling": the presented credential of a request
// resolved on this worker thread's database, and the identity layer's
// refusals as API errors.

#include "server/http/api_request.h"
#include "server/http/api_response.h"
#include "server/http/service_context.h"
#include "shared/identity/caller.h"
#include "shared/identity/passkey_ceremonies.h"

namespace daarion::store {
class Database;
}

namespace daarion::server {

inline constexpr char kSessionCookie[] = "session_token";

identity::PresentedCredential presentedCredential(const ApiRequest &request);
identity::ServiceResult<identity::Caller> resolveCaller(const ApiRequest &request,
                                                        const ServiceContext &context,
                                                        store::Database &database);
identity::RequestOrigin requestOrigin(const ApiRequest &request);

ApiResponse serviceErrorResponse(const identity::ServiceError &error);

// Set-Cookie for a new session token (HttpOnly, SameSite=Lax, Path=/,
// Secure when the request came over https), and the one that clears it.
QByteArray sessionCookie(const ApiRequest &request, const identity::IssuedSession &session);
QByteArray clearedSessionCookie(const ApiRequest &request);

} // namespace daarion::server
