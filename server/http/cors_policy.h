#pragma once
// CORS for the allowed origins (ORIGIN, plus the daemon's own in demo mode):
// credentials allowed, so the origin is echoed, never "*". Other origins get
// no CORS headers at all, and their preflight a 403.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

namespace daarion::server {

using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

class CorsPolicy
{
public:
    explicit CorsPolicy(const QStringList &allowedOrigins);

    bool allows(const QString &origin) const { return m_origins.contains(origin); }

    // Headers for a response to `origin` (nothing when it is not allowed).
    HeaderPairs responseHeaders(const QString &origin) const;

    // Headers answering a preflight from an allowed origin for a path that
    // accepts `methods`.
    HeaderPairs preflightHeaders(const QString &origin, const QList<QByteArray> &methods) const;

private:
    QSet<QString> m_origins;
};

} // namespace daarion::server
