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
    guard(m_routes.last());
}

void ApiRouter::guardStateChanging(RouteGuard guard)
{
    Q_ASSERT(!m_stateChangingGuard); // once: routes guarded already would be guarded twice
    m_stateChangingGuard = std::move(guard);
    for (Route &route : m_routes)
        this->guard(route);
}

void ApiRouter::guard(Route &route) const
{
    static const QList<QByteArray> safe{"GET", "HEAD", "OPTIONS"};
    if (!m_stateChangingGuard || safe.contains(route.method))
        return;
    route.handler = [check = m_stateChangingGuard,
                     handler = std::move(route.handler)](const ApiRequest &request) {
        if (std::optional<ApiResponse> refused = check(request))
            return *refused;
        return handler(request);
    };
}

} // namespace daarion::server
