#include "server/http/cross_site_guard.h"

#include "server/http/api_error.h"
#include "shared/identity/caller.h"

namespace daarion::server
{

std::optional<ApiResponse> refuseForgeableCookieRequest(const ApiRequest &request,
                                                        const SessionCookie &cookie)
{
    const identity::PresentedCredential credential = identity::PresentedCredential::fromRequest(
        request.header("x-api-key"), request.header("authorization"),
        request.cookies.value(cookie.name()));
    if (credential.kind != identity::CredentialKind::CookieToken || request.hasJsonContentType())
        return std::nullopt;
    return apiError(
        identity::ErrorCode::CsrfRefused,
        QStringLiteral("A request that changes something with the session cookie must be sent as "
                       "Content-Type: application/json, also with an empty body."));
}

} // namespace daarion::server
