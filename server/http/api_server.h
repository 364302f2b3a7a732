#pragma once
// daarion-authd's HTTP server: a QAbstractHttpServer that routes with
// QHttpServerRouter over the ApiRouter table, behind EdgeTcpServer's limits.
// Handlers never return a QFuture (Qt 6.4 crashes when the client leaves
// first): the responder is kept in a shared_ptr with a guarded socket
// pointer, the handler runs on the WorkerPool on a plain copy of the request,
// and the reply is written on this thread only if the client is still there.

#include "server/http/api_router.h"
#include "server/http/client_address.h"
#include "server/http/cors_policy.h"
#include "server/http/worker_pool.h"
#include "shared/config/settings.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerRouter>
#include <QList>
#include <QPointer>
#include <QSslConfiguration>

#include <chrono>
#include <memory>
#include <optional>

class QHttpServerResponder;
class QRegularExpressionMatch;

namespace daarion::server {

class EdgeTcpServer;
class Metrics;
class RateLimiter;

class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    // `allowedOrigins`: CORS origins (the settings' list, plus the daemon's
    // own in demo mode).
    ApiServer(const config::Settings &settings, const QStringList &allowedOrigins, const ApiRouter &router,
              Metrics &metrics, RateLimiter &rateLimiter, QObject *parent = nullptr);
    ~ApiServer() override;

    // Listens on BIND_ADDRESS:PORT, with TLS when `tls` is given. Returns the
    // port (0 and `error` set on failure).
    quint16 start(std::optional<QSslConfiguration> tls, QString *error);

    // Stops accepting connections; requests already received are answered.
    void stopAccepting();
    // Requests received and not yet answered.
    int inFlight() const { return m_inFlight; }
    WorkerPool &workers() { return m_workers; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct PathGroup {
        QString pattern;
        QHash<QByteArray, int> routeByMethod; // index into m_routes
        QList<QByteArray> methods;
    };
    struct ReplyContext {
        QString origin;
        bool close = false;
        int metricsSlot = -1;
        std::chrono::steady_clock::time_point started;
    };

    void dispatch(int group, const QRegularExpressionMatch &match, const QHttpServerRequest &request,
                  QTcpSocket *socket);
    void preflight(const PathGroup &group, const QHttpServerRequest &request, QTcpSocket *socket,
                   const ReplyContext &context);
    ApiRequest copyRequest(const QHttpServerRequest &request, const QRegularExpressionMatch &match,
                           QTcpSocket *socket) const;
    void reply(QHttpServerResponder &responder, QTcpSocket *socket, const ApiResponse &response,
               const ReplyContext &context);
    void replyNow(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response,
                  const ReplyContext &context);
    void finishAsync(const std::shared_ptr<QHttpServerResponder> &responder, QPointer<QTcpSocket> socket,
                     const ApiResponse &response, const ReplyContext &context);

    const config::Settings m_settings;
    QList<Route> m_routes;
    QList<int> m_routeSlots;
    QList<PathGroup> m_groups;
    QHttpServerRouter m_router;
    std::shared_ptr<const CorsPolicy> m_cors;
    ClientAddressResolver m_clients;
    Metrics &m_metrics;
    RateLimiter &m_rateLimiter;
    WorkerPool m_workers;
    QPointer<EdgeTcpServer> m_listener;
    int m_edgeSlot = -1;
    int m_unmatchedSlot = -1;
    int m_inFlight = 0;
};

} // namespace daarion::server
