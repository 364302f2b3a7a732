#include "bench/load_connection.h"

namespace daarion::bench {

LoadConnection::LoadConnection(quint16 port, QObject *parent) : QObject(parent), m_port(port)
{
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(&m_socket, &QTcpSocket::readyRead, this, &LoadConnection::onReadyRead);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &LoadConnection::fail);
}

void LoadConnection::send(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                          const QByteArray &authorization, Callback callback)
{
    m_callback = std::move(callback);
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!authorization.isEmpty())
        request += "Authorization: " + authorization + "\r\n";
    if (!body.isEmpty())
        request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_socket.write(request); // buffered until connected
}

void LoadConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QByteArray head = m_buffer.first(headEnd);
    qsizetype length = 0;
    for (const QByteArray &line : head.split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    if (m_buffer.size() < headEnd + 4 + length)
        return;
    LoadResponse response;
    response.status = head.mid(9, 3).toInt();
    response.body = m_buffer.mid(headEnd + 4, length);
    m_buffer.remove(0, headEnd + 4 + length);
    if (auto callback = std::exchange(m_callback, nullptr))
        callback(response);
}

void LoadConnection::fail()
{
    m_buffer.clear();
    m_socket.abort();
    if (auto callback = std::exchange(m_callback, nullptr))
        callback(LoadResponse{});
}

} // namespace daarion::bench
