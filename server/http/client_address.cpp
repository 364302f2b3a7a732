#include "server/http/client_address.h"

namespace daarion::server {

ClientAddressResolver::ClientAddressResolver(QList<config::Subnet> trustedProxies)
    : m_trusted(std::move(trustedProxies))
{
    for (config::Subnet &subnet : m_trusted)
        subnet.first = normalized(subnet.first);
}

QHostAddress ClientAddressResolver::normalized(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
    }
    QHostAddress copy = address;
    copy.setScopeId(QString());
    return copy;
}

bool ClientAddressResolver::isTrusted(const QHostAddress &address) const
{
    const QHostAddress a = normalized(address);
    for (const config::Subnet &subnet : m_trusted)
        if (a.isInSubnet(subnet))
            return true;
    return false;
}

ClientOrigin ClientAddressResolver::resolve(const QHostAddress &peer, const QByteArray &forwardedFor,
                                            const QByteArray &forwardedProto) const
{
    ClientOrigin origin{normalized(peer), false};
    if (m_trusted.isEmpty() || !isTrusted(origin.address))
        return origin;
    origin.forwardedHttps = forwardedProto.trimmed().toLower() == "https";
    // Hops from the nearest to the farthest; stop at the first untrusted one.
    const QList<QByteArray> hops = forwardedFor.split(',');
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        const QByteArray hop = hops[i].trimmed();
        if (hop.isEmpty())
            continue;
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(hop)))
            break; // garbage from further out: keep the last hop we could trust
        address = normalized(address);
        origin.address = address;
        if (!isTrusted(address))
            break;
    }
    return origin;
}

QString ClientAddressResolver::rateLimitKey(const QHostAddress &address)
{
    const QHostAddress a = normalized(address);
    if (a.protocol() != QAbstractSocket::IPv6Protocol)
        return a.toString();
    Q_IPV6ADDR bytes = a.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

} // namespace daarion::server
