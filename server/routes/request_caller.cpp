#include "server/routes/request_caller.h"

#include "server/http/api_error.h"
#include "server/http/session_cookie.h"

#include <QDateTime>

namespace daarion::server {

identity::PresentedCredential presentedCredential(const ApiRequest &request,
                                                  const ServiceContext &context)
{
    return identity::PresentedCredential::fromRequest(
        request.header("x-api-key"), request.header("authorization"),
        request.cookies.value(SessionCookie::of(context.settings).name()));
}

identity::ServiceResult<identity::Caller> resolveCaller(const ApiRequest &request,
                                                        const ServiceContext &context,
                                                        store::Database &database)
{
    const identity::PresentedCredential credential = presentedCredential(request, context);
    if (credential.kind == identity::CredentialKind::CookieToken &&
        request.cookies.count(SessionCookie::of(context.settings).name()) > 1)
        return identity::serviceError(
            identity::ErrorCode::InvalidRequest,
            QStringLiteral("The session cookie was sent more than once (another site of "
                           "this domain may have set one); clear this site's cookies "
                           "and sign in again."));
    return identity::resolveCaller(database, credential, context.settings.sessionIdleTimeout);
}

identity::RequestOrigin requestOrigin(const ApiRequest &request)
{
    return identity::RequestOrigin{request.clientAddress.toString(), request.userAgent};
}

QByteArray sessionCookie(const ServiceContext &context, const identity::IssuedSession &session)
{
    return SessionCookie::of(context.settings)
        .setting(session.token, context.clock.now().secsTo(session.expiresAt));
}

QByteArray clearedSessionCookie(const ServiceContext &context)
{
    return SessionCookie::of(context.settings).clearing();
}

} // namespace daarion::server
