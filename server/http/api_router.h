#pragma once
// How routes are registered. A route group is a function
//     void registerXRoutes(ApiRouter &router, const ServiceContext &context);
// that calls, for example,
//     router.post("/auth/passkey/register/start", handler,
//                 RouteOptions{.rateLimit = RateLimit::Ceremony});
//     router.del("/auth/sessions/<arg>", handler);   // request.pathArguments[0]
// A handler is a plain function of the request copy; it runs on the bounded
// worker pool (never on the server's thread), may block on the database, and
// must not touch sockets or QObjects of the server's thread.
// Paths use QHttpServerRouter's "<arg>" placeholder (one path segment).
// An unknown path answers 404 {"error":"not_found"}; a known path with an
// unregistered method answers 405 {"error":"method_not_allowed"} with Allow.
// OPTIONS (CORS preflight) is answered by the edge for every known path.

#include "server/http/api_request.h"
#include "server/http/api_response.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace daarion::server {

using ApiHandler = std::function<ApiResponse(const ApiRequest &)>;

enum class RateLimit {
    None,
    Ceremony, // per client IP at the edge (before the handler); per username via request.limitUsername()
};

enum class Execution {
    WorkerPool, // default: database or crypto work
    Inline,     // trivial and non-blocking (/health): answered on the server's thread
};

struct RouteOptions {
    RateLimit rateLimit = RateLimit::None;
    Execution execution = Execution::WorkerPool;
    qint64 maxBodyBytes = 0; // 0: MAX_BODY_BYTES; a route may only lower it
};

struct Route {
    QByteArray method; // upper case
    QString pattern;   // "/auth/sessions/<arg>"
    ApiHandler handler;
    RouteOptions options;
};

// Asked before the handler of every route that changes state; a response it
// returns is the answer and the handler does not run.
using RouteGuard = std::function<std::optional<ApiResponse>(const ApiRequest &)>;

// The table the edge serves. Filled once at start, read-only afterwards.
class ApiRouter
{
public:
    // Every POST, PUT, PATCH and DELETE route, added before or after, runs
    // `guard` first (the cross-site request check).
    void guardStateChanging(RouteGuard guard);

    void get(const QString &pattern, ApiHandler handler, RouteOptions options = {});
    void post(const QString &pattern, ApiHandler handler, RouteOptions options = {});
    void put(const QString &pattern, ApiHandler handler, RouteOptions options = {});
    void patch(const QString &pattern, ApiHandler handler, RouteOptions options = {});
    void del(const QString &pattern, ApiHandler handler, RouteOptions options = {});
    void add(const QByteArray &method, const QString &pattern, ApiHandler handler,
             RouteOptions options = {});

    const QList<Route> &routes() const { return m_routes; }

private:
    void guard(Route &route) const;

    QList<Route> m_routes;
    RouteGuard m_stateChangingGuard;
};

} // namespace daarion::server
