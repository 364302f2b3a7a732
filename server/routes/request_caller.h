#pragma once
// The route side of "who is calling": the presented credential of a request
// resolved on this worker thread's database, and the identity layer's
// refusals as API errors.

#include "server/http/api_error.h"
#include "server/http/api_request.h"
#include "server/http/api_response.h"
#include "server/http/service_context.h"
#include "shared/identity/caller.h"
#include "shared/identity/passkey_ceremonies.h"
#include "shared/store/database.h"

namespace daarion::server {

// The credential the request presents, the session cookie read under the
// name the settings give it (SessionCookie).
identity::PresentedCredential presentedCredential(const ApiRequest &request,
                                                  const ServiceContext &context);
// As identity::resolveCaller; also 400 invalid_request when the session
// cookie decides and came more than once (one may be planted by a sibling
// subdomain: neither is believed).
identity::ServiceResult<identity::Caller> resolveCaller(const ApiRequest &request,
                                                        const ServiceContext &context,
                                                        store::Database &database);
identity::RequestOrigin requestOrigin(const ApiRequest &request);

// Runs `body(database, caller)` for a person signed in with a session on
// this worker thread's database; anyone else gets the refusal (401, or 403
// for an API key).
template <typename Body>
ApiResponse withSignedInPerson(const ApiRequest &request, const ServiceContext &context, Body body)
{
    store::Database &database = store::Database::forThisThread(context.database);
    auto caller = resolveCaller(request, context, database);
    if (!caller)
        return apiError(caller.error());
    if (!caller->isHuman())
        return apiError(identity::ErrorCode::Forbidden, QStringLiteral("This needs a person's session, not an API key."));
    return body(database, caller.value());
}

// Set-Cookie for a new session token and the one that clears it, as
// SessionCookie says for these settings (COOKIE_SECURE decides Secure and
// the name, never the request). Max-Age counts from the service's clock.
QByteArray sessionCookie(const ServiceContext &context, const identity::IssuedSession &session);
QByteArray clearedSessionCookie(const ServiceContext &context);

} // namespace daarion::server
