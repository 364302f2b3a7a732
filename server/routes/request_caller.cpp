#include "server/routes/request_caller.h"

#include "server/http/api_error.h"

#include <QDateTime>

namespace daarion::server {

namespace {
bool overHttps(const ApiRequest &request)
{
    return request.secure || request.origin.startsWith(QLatin1String("https://"));
}
} // namespace

identity::PresentedCredential presentedCredential(const ApiRequest &request)
{
    return identity::PresentedCredential::fromRequest(
        request.header("x-api-key"), request.header("authorization"),
        request.cookies.value(QLatin1String(kSessionCookie)));
}

identity::ServiceResult<identity::Caller> resolveCaller(const ApiRequest &request,
                                                        const ServiceContext &context,
                                                        store::Database &database)
{
    return identity::resolveCaller(database, presentedCredential(request),
                                   context.settings.sessionIdleTimeout);
}

identity::RequestOrigin requestOrigin(const ApiRequest &request)
{
    return identity::RequestOrigin{request.clientAddress.toString(), request.userAgent};
}

QByteArray sessionCookie(const ApiRequest &request, const identity::IssuedSession &session, const QDateTime &now)
{
    const qint64 maxAge =
        qMax<qint64>(0, now.secsTo(session.expiresAt));
    QByteArray cookie = QByteArray(kSessionCookie) + '=' + session.token.toLatin1() +
                        "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" + QByteArray::number(maxAge);
    if (overHttps(request))
        cookie += "; Secure";
    return cookie;
}

QByteArray clearedSessionCookie(const ApiRequest &request)
{
    QByteArray cookie = QByteArray(kSessionCookie) + "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0";
    if (overHttps(request))
        cookie += "; Secure";
    return cookie;
}

} // namespace daarion::server
