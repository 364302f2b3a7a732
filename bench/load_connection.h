#pragma once
// One keep-alive HTTP/1.1 connection of the load generator: sends a request,
// reads one response (status, headers, Content-Length body) and hands it to
// a callback. Minimal on purpose: it only has to speak to daarion-authd.

#include <QByteArray>
#include <QObject>
#include <QTcpSocket>

#include <functional>

namespace daarion::bench {

struct LoadResponse {
    int status = 0; // 0: the connection failed
    QByteArray body;
};

class LoadConnection : public QObject
{
    Q_OBJECT

public:
    LoadConnection(quint16 port, QObject *parent = nullptr);

    using Callback = std::function<void(const LoadResponse &)>;
    // One request at a time; `body` is sent as application/json when not empty.
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &body,
              const QByteArray &authorization, Callback callback);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    void onReadyRead();
    void fail();

    QTcpSocket m_socket;
    quint16 m_port;
    QByteArray m_buffer;
    Callback m_callback;
};

} // namespace daarion::bench
