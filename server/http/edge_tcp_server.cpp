#include "server/http/edge_tcp_server.h"

#include "server/http/connection_guard.h"
#include "server/http/metrics.h"

#include <QSslSocket>
#include <QTimer>

namespace daarion::server {

EdgeTcpServer::EdgeTcpServer(const EdgeLimits &limits, std::optional<QSslConfiguration> tls, Metrics &metrics,
                             int edgeMetricsSlot, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_tls(std::move(tls))
    , m_metrics(metrics)
    , m_edgeSlot(edgeMetricsSlot)
{
    setMaxPendingConnections(128);
}

void EdgeTcpServer::incomingConnection(qintptr descriptor)
{
    if (m_open->load() >= m_limits.maxConnections) {
        refuseConnection(descriptor);
        return;
    }
    QTcpSocket *socket = nullptr;
    if (m_tls) {
        auto *ssl = new QSslSocket(this);
        if (!ssl->setSocketDescriptor(descriptor)) {
            delete ssl;
            return;
        }
        ssl->setSslConfiguration(*m_tls);
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
    }
    // A request (head + body) is held in this buffer until complete; beyond
    // it the socket stops reading and the idle timeout ends the connection.
    socket->setReadBufferSize(m_limits.head.maxHeadBytes + m_limits.head.maxBodyBytes + 4096);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    new ConnectionGuard(socket, parent(), m_limits.head, m_limits.idleTimeout, m_metrics, m_edgeSlot, m_open,
                        m_limits.cors);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        ssl->startServerEncryption(); // a stalled handshake is cut by the idle timeout
    addPendingConnection(socket);
}

void EdgeTcpServer::refuseConnection(qintptr descriptor)
{
    m_metrics.connectionRefused();
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(1000, socket, [socket] { socket->abort(); });
    if (!m_tls) {
        static const QByteArray body = R"({"error":"unavailable","message":"too many connections; retry"})";
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body);
    }
    socket->disconnectFromHost();
}

} // namespace daarion::server
