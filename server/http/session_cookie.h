#pragma once
// The session cookie this daemon sets and reads: HttpOnly, SameSite=Lax,
// Path=/, no Domain. When it is Secure (COOKIE_SECURE; see
// config::sessionCookieSecure) it is named __Host-session_token: browsers
// accept that name only from a secure origin, Secure, host-only and for
// Path=/, so no sibling subdomain can plant or overwrite it. One name at a
// time: the daemon reads only the name it sets.

#include "shared/config/settings.h"

#include <QByteArray>
#include <QString>

namespace daarion::server
{

class SessionCookie
{
public:
    explicit SessionCookie(bool secure) : m_secure(secure) {}
    static SessionCookie of(const config::Settings &settings)
    {
        return SessionCookie(config::sessionCookieSecure(settings));
    }

    bool secure() const { return m_secure; }
    QString name() const; // "__Host-session_token" when secure, else "session_token"

    // Set-Cookie values: a token living `maxAgeSeconds`, and the one that removes it.
    QByteArray setting(const QString &token, qint64 maxAgeSeconds) const;
    QByteArray clearing() const;

private:
    bool m_secure;
};

} // namespace daarion::server
