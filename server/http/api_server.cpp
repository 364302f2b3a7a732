#include "server/http/api_server.h"

#include "server/http/api_error.h"
#include "server/http/connection_guard.h"
#include "server/http/edge_tcp_server.h"
#include "server/http/metrics.h"
#include "server/http/rate_limiter.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerRouterRule>
#include <QLoggingCategory>
#include <QRegularExpressionMatch>
#include <QSslSocket>

#include <exception>

namespace daarion::server {

Q_LOGGING_CATEGORY(lcHttp, "daarion.http")

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    default: return "UNKNOWN";
    }
}

// QHttpServerRouter derives a rule's "<arg>" regexps from a view type; every
// argument here is one path segment as a QString.
template <typename... Args>
bool addRule(QHttpServerRouter &router, std::unique_ptr<QHttpServerRouterRule> rule)
{
    using View = void (*)(Args...);
    return router.addRule<View>(std::move(rule));
}

bool addRuleWithArguments(QHttpServerRouter &router, int arguments, std::unique_ptr<QHttpServerRouterRule> rule)
{
    switch (arguments) {
    case 0: return addRule<>(router, std::move(rule));
    case 1: return addRule<QString>(router, std::move(rule));
    case 2: return addRule<QString, QString>(router, std::move(rule));
    case 3: return addRule<QString, QString, QString>(router, std::move(rule));
    default: return false;
    }
}

ApiResponse runHandler(const ApiHandler &handler, const ApiRequest &request)
{
    try {
        return handler(request);
    } catch (const std::exception &e) {
        qCCritical(lcHttp) << "handler of" << request.method << request.path << "threw:" << e.what();
    } catch (...) {
        qCCritical(lcHttp) << "handler of" << request.method << request.path << "threw";
    }
    return apiError(identity::ErrorCode::InternalError);
}

} // namespace

ApiServer::ApiServer(const config::Settings &settings, const QStringList &allowedOrigins, const ApiRouter &router,
                     Metrics &metrics, RateLimiter &rateLimiter, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_settings(settings)
    , m_routes(router.routes())
    , m_cors(std::make_shared<const CorsPolicy>(allowedOrigins))
    , m_clients(settings.trustedProxies)
    , m_metrics(metrics)
    , m_rateLimiter(rateLimiter)
    , m_workers(settings.workerThreads, settings.workerQueueLimit)
{
    m_edgeSlot = m_metrics.registerRoute(QStringLiteral("edge (refused before routing)"));
    m_unmatchedSlot = m_metrics.registerRoute(QStringLiteral("unmatched"));

    // One router rule per path, accepting every method: the method is
    // dispatched here so a known path with another method can answer 405.
    QHash<QString, int> groupByPattern;
    for (int i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes[i];
        m_routeSlots.append(m_metrics.registerRoute(QString::fromLatin1(route.method) + QLatin1Char(' ') + route.pattern));
        auto existing = groupByPattern.constFind(route.pattern);
        int group = existing == groupByPattern.cend() ? -1 : *existing;
        if (group < 0) {
            group = int(m_groups.size());
            groupByPattern.insert(route.pattern, group);
            m_groups.append(PathGroup{route.pattern, {}, {}});
            const int arguments = int(route.pattern.count(QStringLiteral("<arg>")));
            auto rule = std::make_unique<QHttpServerRouterRule>(
                route.pattern, QHttpServerRequest::Method::AnyKnown,
                [this, group](const QRegularExpressionMatch &match, const QHttpServerRequest &request,
                              QTcpSocket *socket) { dispatch(group, match, request, socket); });
            if (!addRuleWithArguments(m_router, arguments, std::move(rule)))
                qFatal("route pattern not accepted by QHttpServerRouter: %s", qPrintable(route.pattern));
        }
        PathGroup &pathGroup = m_groups[group];
        if (pathGroup.routeByMethod.contains(route.method))
            qFatal("route registered twice: %s %s", route.method.constData(), qPrintable(route.pattern));
        pathGroup.routeByMethod.insert(route.method, i);
        pathGroup.methods.append(route.method);
    }
}

ApiServer::~ApiServer()
{
    m_workers.waitForDone();
}

quint16 ApiServer::start(std::optional<QSslConfiguration> tls, QString *error)
{
    EdgeLimits limits;
    limits.maxConnections = m_settings.maxConnections;
    limits.idleTimeout = m_settings.httpIdleTimeout;
    limits.head.maxBodyBytes = m_settings.maxBodyBytes;
    limits.cors = m_cors;
    auto *listener = new EdgeTcpServer(limits, std::move(tls), m_metrics, m_edgeSlot, this);
    if (!listener->listen(m_settings.bindAddress, m_settings.port)) {
        if (error)
            *error = QStringLiteral("PORT: cannot listen on %1:%2: %3")
                         .arg(m_settings.bindAddress.toString())
                         .arg(m_settings.port)
                         .arg(listener->errorString());
        delete listener;
        return 0;
    }
    bind(listener);
    m_listener = listener;
    return listener->serverPort();
}

void ApiServer::stopAccepting()
{
    if (m_listener)
        m_listener->close();
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (!guard || guard->isRefused())
        return true; // already answered and closing
    guard->requestDispatched();
    // Qt drops every header it cannot parse and still hands the request on;
    // without headers its body would be read as the next request.
    if (!guard->headSeen() || request.headers().isEmpty() || request.value("host").isEmpty()) {
        guard->refuse(identity::ErrorCode::InvalidRequest, QStringLiteral("request without headers or Host"),
                      request.value("origin"));
        return true;
    }
    if (request.body().size() > m_settings.maxBodyBytes) {
        guard->refuse(identity::ErrorCode::PayloadTooLarge,
                      QStringLiteral("request body larger than %1 bytes").arg(m_settings.maxBodyBytes),
                      request.value("origin"));
        return true;
    }
    return m_router.handleRequest(request, socket);
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (!guard || guard->isRefused())
        return;
    ReplyContext context{QString::fromUtf8(request.value("origin")), guard->currentHead().closeRequested,
                         m_unmatchedSlot, std::chrono::steady_clock::now()};
    replyNow(request, socket, notFound(QStringLiteral("no route for %1").arg(request.url().path())), context);
}

void ApiServer::dispatch(int groupIndex, const QRegularExpressionMatch &match, const QHttpServerRequest &request,
                         QTcpSocket *socket)
{
    const PathGroup &group = m_groups[groupIndex];
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    ReplyContext context{QString::fromUtf8(request.value("origin")), guard->currentHead().closeRequested,
                         m_unmatchedSlot, std::chrono::steady_clock::now()};
    const QByteArray method = methodName(request.method());
    if (method == "OPTIONS") {
        preflight(group, request, socket, context);
        return;
    }
    const auto found = group.routeByMethod.constFind(method);
    if (found == group.routeByMethod.cend()) {
        replyNow(request, socket,
                 apiError(identity::ErrorCode::MethodNotAllowed,
                          QStringLiteral("%1 accepts %2").arg(group.pattern, QString::fromLatin1(group.methods.join(", "))))
                     .withHeader("Allow", group.methods.join(", ") + ", OPTIONS"),
                 context);
        return;
    }
    const int routeIndex = *found;
    const Route &route = m_routes[routeIndex];
    context.metricsSlot = m_routeSlots[routeIndex];

    ApiRequest api = copyRequest(request, match, socket);
    if (route.options.maxBodyBytes > 0 && api.body.size() > route.options.maxBodyBytes) {
        context.close = true; // as at the edge: nothing more is read from this client
        replyNow(request, socket,
                 apiError(identity::ErrorCode::PayloadTooLarge,
                          QStringLiteral("request body larger than %1 bytes").arg(route.options.maxBodyBytes)),
                 context);
        return;
    }
    if (route.options.rateLimit == RateLimit::Ceremony && m_rateLimiter.enabled()) {
        const int retryAfter = m_rateLimiter.takeForAddress(ClientAddressResolver::rateLimitKey(api.clientAddress));
        if (retryAfter > 0) {
            replyNow(request, socket, rateLimited(retryAfter), context);
            return;
        }
    }
    if (route.options.execution == Execution::Inline) {
        replyNow(request, socket, runHandler(route.handler, api), context);
        return;
    }

    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QPointer<QTcpSocket> guarded(socket);
    guard->suspend();
    ++m_inFlight;
    const bool started = m_workers.tryStart(
        [this, handler = route.handler, api = std::move(api), responder, guarded, context]() {
            ApiResponse response = runHandler(handler, api);
            QMetaObject::invokeMethod(
                this,
                [this, responder, guarded, context, response = std::move(response)]() {
                    finishAsync(responder, guarded, response, context);
                },
                Qt::QueuedConnection);
        });
    if (!started) {
        --m_inFlight;
        m_metrics.queueFull();
        if (guard->resume())
            reply(*responder, socket, unavailable(QStringLiteral("the server is busy; retry")), context);
        guard->continueReading();
    }
}

void ApiServer::finishAsync(const std::shared_ptr<QHttpServerResponder> &responder, QPointer<QTcpSocket> socket,
                            const ApiResponse &response, const ReplyContext &context)
{
    --m_inFlight;
    if (!socket) {
        m_metrics.record(context.metricsSlot, response.status,
                         std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now()
                                                                               - context.started));
        return;
    }
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (!guard || !guard->resume()) {
        m_metrics.record(context.metricsSlot, response.status,
                         std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now()
                                                                               - context.started));
        return; // the client left while its request was being worked on
    }
    reply(*responder, socket, response, context);
    if (!context.close)
        guard->continueReading();
}

void ApiServer::preflight(const PathGroup &group, const QHttpServerRequest &request, QTcpSocket *socket,
                          const ReplyContext &context)
{
    ApiResponse response = ApiResponse::noContent();
    if (context.origin.isEmpty()) {
        response.withHeader("Allow", group.methods.join(", ") + ", OPTIONS");
    } else if (!m_cors->allows(context.origin)) {
        response =
            apiError(identity::ErrorCode::Forbidden, QStringLiteral("origin %1 is not allowed").arg(context.origin));
    } else {
        for (const auto &header : m_cors->preflightHeaders(context.origin, group.methods))
            response.withHeader(header.first, header.second);
    }
    ReplyContext preflightContext = context;
    preflightContext.origin.clear(); // headers set above; reply() adds none
    replyNow(request, socket, response, preflightContext);
}

ApiRequest ApiServer::copyRequest(const QHttpServerRequest &request, const QRegularExpressionMatch &match,
                                  QTcpSocket *socket) const
{
    ApiRequest api;
    api.method = methodName(request.method());
    api.path = request.url().path();
    const QStringList captured = match.capturedTexts();
    api.pathArguments = captured.mid(1);
    api.query = request.query();
    for (const auto &[name, value] : request.headers()) {
        const QByteArray key = name.toLower();
        auto existing = api.headers.find(key);
        if (existing == api.headers.end())
            api.headers.insert(key, value);
        else
            *existing += (key == "cookie" ? QByteArray("; ") : QByteArray(", ")) + value;
    }
    api.body = request.body();
    api.peerAddress = ClientAddressResolver::normalized(request.remoteAddress());
    const ClientOrigin client =
        m_clients.resolve(api.peerAddress, api.header("x-forwarded-for"), api.header("x-forwarded-proto"));
    api.clientAddress = client.address;
    const auto *ssl = qobject_cast<QSslSocket *>(socket);
    api.secure = (ssl && ssl->isEncrypted()) || client.forwardedHttps;
    api.userAgent = QString::fromUtf8(api.header("user-agent")).left(512);
    api.origin = QString::fromUtf8(api.header("origin"));
    api.cookies = RequestCookies::parse(api.header("cookie"));
    api.rateLimiter = &m_rateLimiter;
    return api;
}

void ApiServer::replyNow(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response,
                         const ReplyContext &context)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    reply(responder, socket, response, context);
}

void ApiServer::reply(QHttpServerResponder &responder, QTcpSocket *socket, const ApiResponse &response,
                      const ReplyContext &context)
{
    m_metrics.record(context.metricsSlot, response.status,
                     std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now()
                                                                           - context.started));
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    const bool bodyless = response.status == 204 || response.status == 304;
    if (!bodyless) {
        if (!response.contentType.isEmpty())
            responder.writeHeader("Content-Type", response.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    }
    bool cacheControlSet = false;
    for (const auto &header : response.headers) {
        responder.writeHeader(header.first, header.second);
        cacheControlSet = cacheControlSet || header.first.compare("cache-control", Qt::CaseInsensitive) == 0;
    }
    if (!cacheControlSet)
        responder.writeHeader("Cache-Control", "no-store");
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    responder.writeHeader("Vary", "Origin");
    for (const auto &header : m_cors->responseHeaders(context.origin))
        responder.writeHeader(header.first, header.second);
    if (context.close)
        responder.writeHeader("Connection", "close");
    responder.writeBody(bodyless ? QByteArray() : response.body);
    if (context.close)
        socket->disconnectFromHost();
}

} // namespace daarion::server
