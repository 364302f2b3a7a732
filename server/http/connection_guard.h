#pragma once
// Watches one client connection for the HTTP edge (lives as a child of its
// socket): reads each request head before Qt does (RequestHeadScanner) and
// refuses bad or oversized requests with Connection: close; cuts the
// connection when it makes no progress for HTTP_IDLE_TIMEOUT or trickles a
// request in too slowly (head within HTTP_IDLE_TIMEOUT); answers
// "Expect: 100-continue"; and pauses the connection while its request is on
// the worker pool, so that pipelined requests are answered in order and Qt
// does not delete the socket under the pending reply.

#include "server/http/request_head_scanner.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

class QTcpSocket;

namespace daarion::server {

class CorsPolicy;
class Metrics;

class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    // `httpServer` is the QAbstractHttpServer that reads the socket: its
    // reading is cut off when a request is refused here.
    ConnectionGuard(QTcpSocket *socket, QObject *httpServer, const HeadLimits &limits,
                    std::chrono::milliseconds idleTimeout, Metrics &metrics, int edgeMetricsSlot,
                    std::shared_ptr<std::atomic<int>> openConnections, std::shared_ptr<const CorsPolicy> cors);
    ~ConnectionGuard() override;

    static ConnectionGuard *of(QTcpSocket *socket);

    // The head of the request Qt hands over now (valid inside handleRequest).
    const RequestHead &currentHead() const { return m_head; }
    bool headSeen() const { return m_headSeen; }
    bool isRefused() const { return m_refused; }

    // Refuses the current request: writes the JSON error with Connection:
    // close (and CORS headers for an allowed `origin`, so a browser can read
    // it), stops reading, and closes after the client had a moment to read it.
    void refuse(identity::ErrorCode code, const QString &message, const QByteArray &origin = {});

    // Qt has the whole request: its time limit no longer applies.
    void requestDispatched() { m_requestDeadline.stop(); }

    // While a reply is computed elsewhere: no reading, no idle cut, no
    // deletion by Qt. resume() returns whether the client is still there.
    void suspend();
    bool resume();
    // After resume() and the write: go on with bytes already received.
    void continueReading();

private:
    void onReadyRead();
    void onIdle();
    void lingerThenClose();
    void discardInput();

    QTcpSocket *m_socket;
    QPointer<QObject> m_httpServer;
    RequestHeadScanner m_scanner;
    RequestHead m_head;
    bool m_headSeen = false;
    bool m_refused = false;
    bool m_suspended = false;
    QTimer m_idle;            // no progress at all for HTTP_IDLE_TIMEOUT
    QTimer m_requestDeadline; // a trickling client: head within the idle timeout, body within 3 more
    std::chrono::milliseconds m_idleTimeout;
    Metrics &m_metrics;
    int m_edgeSlot;
    std::shared_ptr<std::atomic<int>> m_openConnections;
    std::shared_ptr<const CorsPolicy> m_cors;
};

} // namespace daarion::server
