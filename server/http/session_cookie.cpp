#include "server/http/session_cookie.h"

namespace daarion::server
{

QString SessionCookie::name() const
{
    return m_secure ? QStringLiteral("__Host-session_token") : QStringLiteral("session_token");
}

QByteArray SessionCookie::setting(const QString &token, qint64 maxAgeSeconds) const
{
    QByteArray cookie = name().toLatin1() + '=' + token.toLatin1() +
                        "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" +
                        QByteArray::number(qMax<qint64>(0, maxAgeSeconds));
    if (m_secure)
        cookie += "; Secure";
    return cookie;
}

QByteArray SessionCookie::clearing() const
{
    QByteArray cookie = name().toLatin1() + "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0";
    if (m_secure)
        cookie += "; Secure";
    return cookie;
}

} // namespace daarion::server
