#include "server/http/request_cookies.h"

namespace daarion::server
{

RequestCookies RequestCookies::parse(const QByteArray &header)
{
    RequestCookies cookies;
    for (const QByteArray &pair : header.split(';')) {
        const qsizetype equals = pair.indexOf('=');
        if (equals <= 0)
            continue;
        const QString name = QString::fromUtf8(pair.left(equals).trimmed());
        if (name.isEmpty())
            continue;
        QByteArray value = pair.mid(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        if (!cookies.m_values.contains(name)) // the first (most specific path) wins
            cookies.m_values.insert(name, QString::fromUtf8(value));
        ++cookies.m_counts[name];
    }
    return cookies;
}

} // namespace daarion::server
