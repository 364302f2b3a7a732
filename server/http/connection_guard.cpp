#include "server/http/connection_guard.h"

#include "server/http/cors_policy.h"
#include "server/http/metrics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

namespace daarion::server {

namespace {
// How long a refused client may keep sending while it reads our answer.
constexpr int kLingerMilliseconds = 2000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 413: return "Payload Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}
} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, QObject *httpServer, const HeadLimits &limits,
                                 std::chrono::milliseconds idleTimeout, Metrics &metrics, int edgeMetricsSlot,
                                 std::shared_ptr<std::atomic<int>> openConnections,
                                 std::shared_ptr<const CorsPolicy> cors)
    : QObject(socket)
    , m_socket(socket)
    , m_httpServer(httpServer)
    , m_scanner(limits)
    , m_idleTimeout(idleTimeout)
    , m_metrics(metrics)
    , m_edgeSlot(edgeMetricsSlot)
    , m_openConnections(std::move(openConnections))
    , m_cors(std::move(cors))
{
    // Connected before the HTTP server's own readyRead handler, so every
    // head is checked before Qt parses it.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, [this] {
        if (m_refused) {
            if (m_socket->bytesToWrite() == 0 && !qobject_cast<QSslSocket *>(m_socket))
                ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
            return;
        }
        if (!m_suspended)
            m_idle.start();
    });
    m_idle.setInterval(idleTimeout);
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, &ConnectionGuard::onIdle);
    m_requestDeadline.setSingleShot(true);
    connect(&m_requestDeadline, &QTimer::timeout, this, &ConnectionGuard::onIdle);
    m_idle.start();
    m_metrics.connectionOpened();
    m_openConnections->fetch_add(1);
}

ConnectionGuard::~ConnectionGuard()
{
    m_metrics.connectionClosed();
    m_openConnections->fetch_sub(1);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::onReadyRead()
{
    if (m_refused) {
        discardInput();
        return;
    }
    m_idle.start();
    // Qt keeps a read transaction open from the first byte of a request
    // until it is complete: none open means a new request begins here.
    if (!m_socket->isTransactionStarted()) {
        m_scanner.reset();
        m_headSeen = false;
        m_requestDeadline.stop();
    }
    if (m_headSeen)
        return; // body bytes: bounded by the read buffer and Content-Length
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    if (!m_requestDeadline.isActive())
        m_requestDeadline.start(m_idleTimeout);
    // Qt consumes every byte it is given while reading a head, so what is
    // unread now is exactly what arrived since the last call.
    const QByteArray bytes = m_socket->peek(qMin<qint64>(available, 64 * 1024));
    switch (m_scanner.feed(bytes)) {
    case RequestHeadScanner::State::NeedMore:
        return;
    case RequestHeadScanner::State::Rejected: {
        const HeadRejection rejection = m_scanner.rejection();
        refuse(rejection.code, rejection.message, rejection.origin);
        return;
    }
    case RequestHeadScanner::State::Complete:
        m_head = m_scanner.head();
        m_headSeen = true;
        if (m_head.contentLength > 0)
            m_requestDeadline.start(3 * m_idleTimeout);
        if (m_head.expectContinue && m_head.contentLength > 0)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return;
    }
}

void ConnectionGuard::refuse(identity::ErrorCode code, const QString &message, const QByteArray &origin)
{
    const int status = identity::httpStatus(code);
    if (m_refused)
        return;
    m_refused = true;
    m_requestDeadline.stop();
    m_metrics.record(m_edgeSlot, status, std::chrono::microseconds(0));
    // The HTTP server reads this socket no more: nothing after the refused
    // request can be taken for a request of its own.
    if (m_httpServer)
        QObject::disconnect(m_socket, nullptr, m_httpServer.data(), nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    discardInput();
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("error"), QString(identity::errorName(code))},
                                                      {QStringLiteral("message"), message}})
                                .toJson(QJsonDocument::Compact);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += "Cache-Control: no-store\r\nVary: Origin\r\n";
    if (m_cors && !origin.isEmpty())
        for (const auto &header : m_cors->responseHeaders(QString::fromUtf8(origin)))
            response += header.first + ": " + header.second + "\r\n";
    response += "Connection: close\r\n\r\n";
    response += body;
    m_socket->write(response);
    lingerThenClose();
}

void ConnectionGuard::lingerThenClose()
{
    m_idle.stop();
    // Closing while the client still sends would reset the connection and
    // could destroy our answer before it is read: send it, half-close, drop
    // what still arrives, and cut after a short grace period.
    QTimer::singleShot(kLingerMilliseconds, this, [this] { m_socket->abort(); });
    if (qobject_cast<QSslSocket *>(m_socket)) {
        m_socket->disconnectFromHost();
        return;
    }
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void ConnectionGuard::discardInput()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available > 0)
        m_socket->skip(available);
}

void ConnectionGuard::onIdle()
{
    if (m_suspended)
        return;
    m_metrics.idleTimeout();
    m_socket->abort();
}

void ConnectionGuard::suspend()
{
    m_suspended = true;
    m_idle.stop();
    m_requestDeadline.stop();
    m_socket->blockSignals(true);
}

bool ConnectionGuard::resume()
{
    m_suspended = false;
    m_socket->blockSignals(false);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        // The client left while we worked; Qt missed the signal that would
        // have deleted the socket, so do it here.
        m_socket->deleteLater();
        return false;
    }
    if (!m_refused)
        m_idle.start();
    return true;
}

void ConnectionGuard::continueReading()
{
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(m_socket, [socket = m_socket] { Q_EMIT socket->readyRead(); }, Qt::QueuedConnection);
}

} // namespace daarion::server
