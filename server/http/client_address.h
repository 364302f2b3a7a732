#pragma once
// The address of the client behind the connection. X-Forwarded-For is
// believed only from TRUSTED_PROXIES: walking it from the right, the first
// hop that is not a trusted proxy is the client (anyone can prepend
// addresses on the left). From any other peer the header is ignored.

#include "shared/config/settings.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>

namespace daarion::server {

struct ClientOrigin {
    QHostAddress address;
    bool forwardedHttps = false; // X-Forwarded-Proto: https from a trusted proxy
};

class ClientAddressResolver
{
public:
    explicit ClientAddressResolver(QList<config::Subnet> trustedProxies);

    ClientOrigin resolve(const QHostAddress &peer, const QByteArray &forwardedFor,
                         const QByteArray &forwardedProto) const;

    bool isTrusted(const QHostAddress &address) const;

    // The rate-limit key of an address: IPv4 as is, IPv6 by its /64 (one
    // customer's whole prefix), so a client cannot walk its own prefix.
    static QString rateLimitKey(const QHostAddress &address);

    // ::ffff:1.2.3.4 → 1.2.3.4 (a dual-stack socket reports IPv4 peers so).
    static QHostAddress normalized(const QHostAddress &address);

private:
    QList<config::Subnet> m_trusted;
};

} // namespace daarion::server
