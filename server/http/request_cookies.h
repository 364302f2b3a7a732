#pragma once
// The Cookie header of a request, read once: each name's first value, and
// how often each name came. A name sent twice is a warning sign (a sibling
// subdomain can plant a cookie of the same name beside ours), so whoever
// reads a credential from a cookie asks count() as well as value().

#include <QByteArray>
#include <QHash>
#include <QString>

namespace daarion::server
{

class RequestCookies
{
public:
    // From the Cookie header's value (several Cookie headers joined with "; ").
    static RequestCookies parse(const QByteArray &header);

    QString value(const QString &name) const
    {
        return m_values.value(name);
    } // the first; empty when absent
    int count(const QString &name) const { return m_counts.value(name); }

private:
    QHash<QString, QString> m_values;
    QHash<QString, int> m_counts;
};

} // namespace daarion::server
