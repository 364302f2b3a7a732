#include "server/http/api_router.h"

namespace daarion::server {

void ApiRouter::get(const QString &pattern, ApiHandler handler, RouteOptions options)
{
    add("GET", pattern, std::move(handler), options);
}

void ApiRouter::post(const QString &pattern, ApiHandler handler, RouteOptions options)
{
    add("POST", pattern, std::move(handler), options);
}

void ApiRouter::put(const QString &pattern, ApiHandler handler, RouteOptions options)
{
    add("PUT", pattern, std::move(handler), options);
}

void ApiRouter::patch(const QString &pattern, ApiHandler handler, RouteOptions options)
{
    add("PATCH", pattern, std::move(handler), options);
}

void ApiRouter::del(const QString &pattern, ApiHandler handler, RouteOptions options)
{
    add("DELETE", pattern, std::move(handler), options);
}

void ApiRouter::add(const QByteArray &method, const QString &pattern, ApiHandler handler, RouteOptions options)
{
    m_routes.append(Route{method.toUpper(), pattern, std::move(handler), options});
}

} // namespace daarion::server
