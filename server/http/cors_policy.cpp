#include "server/http/cors_policy.h"

namespace daarion::server {

CorsPolicy::CorsPolicy(const QStringList &allowedOrigins)
    : m_origins(allowedOrigins.cbegin(), allowedOrigins.cend())
{
}

HeaderPairs CorsPolicy::responseHeaders(const QString &origin) const
{
    if (origin.isEmpty() || !allows(origin))
        return {};
    return {{"Access-Control-Allow-Origin", origin.toUtf8()},
            {"Access-Control-Allow-Credentials", "true"},
            {"Access-Control-Expose-Headers", "Retry-After"}};
}

HeaderPairs CorsPolicy::preflightHeaders(const QString &origin, const QList<QByteArray> &methods) const
{
    if (!allows(origin))
        return {};
    QList<QByteArray> allowed = methods;
    if (!allowed.contains("OPTIONS"))
        allowed.append("OPTIONS");
    return {{"Access-Control-Allow-Origin", origin.toUtf8()},
            {"Access-Control-Allow-Credentials", "true"},
            {"Access-Control-Allow-Methods", allowed.join(", ")},
            {"Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key"},
            {"Access-Control-Max-Age", "600"}};
}

} // namespace daarion::server
