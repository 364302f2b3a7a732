#pragma once
// The listening socket of the HTTP edge: caps concurrent connections, sets a
// read-buffer cap on every socket (so an upload cannot grow memory), gives
// every connection its ConnectionGuard (head checks, idle timeout) and, with
// TLS configured, wraps accepted sockets in QSslSocket.

#include "server/http/request_head_scanner.h"

#include <QSslConfiguration>
#include <QTcpServer>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace daarion::server {

class CorsPolicy;
class Metrics;

struct EdgeLimits {
    int maxConnections = 512;
    std::chrono::milliseconds idleTimeout{5000};
    HeadLimits head;
    std::shared_ptr<const CorsPolicy> cors; // for the answers of refused requests
};

class EdgeTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    EdgeTcpServer(const EdgeLimits &limits, std::optional<QSslConfiguration> tls, Metrics &metrics,
                  int edgeMetricsSlot, QObject *parent = nullptr);

    int openConnections() const { return m_open->load(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuseConnection(qintptr descriptor);

    EdgeLimits m_limits;
    std::optional<QSslConfiguration> m_tls;
    Metrics &m_metrics;
    int m_edgeSlot;
    std::shared_ptr<std::atomic<int>> m_open = std::make_shared<std::atomic<int>>(0);
};

} // namespace daarion::server
