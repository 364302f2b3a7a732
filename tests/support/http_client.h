#pragma once
// Small synchronous HTTP/1.1 clients for tests.
// - HttpClient: QNetworkAccessManager with a local event loop (keeps its
//   connections and cookies like a browser would).
// - RawConnection: bytes over a plain TCP socket, for requests no proper
//   client would send (garbage, smuggling, slow or vanishing clients).

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QNetworkAccessManager>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QTcpSocket>

#include <memory>

namespace daarion::testing {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct HttpResponse {
    int status = 0;         // 0: no HTTP answer (see networkError)
    QByteArray body;
    Headers headers;        // as received, names as sent
    QString networkError;   // empty when a response arrived

    // A header by case-insensitive name (the first one); empty when absent.
    QByteArray header(const QByteArray &name) const;
    QList<QByteArray> headerValues(const QByteArray &name) const; // every occurrence (Set-Cookie)
    QJsonObject json() const; // the body as a JSON object ({} if it is not one)
    QString errorCode() const { return json().value(QStringLiteral("error")).toString(); }
    // For failure messages: "404 {…}" or the network error.
    QString describe() const;
};

class HttpClient
{
public:
    explicit HttpClient(const QString &baseUrl);

    HttpResponse get(const QString &path, const Headers &headers = {});
    HttpResponse post(const QString &path, const QJsonObject &body, const Headers &headers = {});
    HttpResponse del(const QString &path, const Headers &headers = {});
    HttpResponse patch(const QString &path, const QJsonObject &body, const Headers &headers = {});
    // Any method, raw body (Content-Type only when given).
    HttpResponse request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                         const Headers &headers = {});

    // TLS: trust this (self-signed) certificate for the daemon's address.
    void trustCertificate(const QSslCertificate &certificate);
    void clearCookies();
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    QString baseUrl() const { return m_baseUrl; }

private:
    QString m_baseUrl;
    std::unique_ptr<QNetworkAccessManager> m_manager;
    QList<QSslCertificate> m_trusted;
    int m_timeoutMs = 15'000;
};

// One TCP connection speaking raw bytes.
class RawConnection
{
public:
    // Connects to 127.0.0.1:port (from `localAddress` when given, e.g.
    // 127.0.0.2 to be another client on the loopback).
    explicit RawConnection(quint16 port, const QHostAddress &localAddress = QHostAddress());
    ~RawConnection();

    bool isConnected() const;
    // Writes and flushes; false when the server has closed or reset.
    bool send(const QByteArray &bytes, int timeoutMs = 5'000);
    // Reads one HTTP response (head + Content-Length body); status 0 when
    // the connection closed or the time ran out first.
    HttpResponse readResponse(int timeoutMs = 5'000);
    // Reads until the server closes (or `timeoutMs`): everything received.
    QByteArray readUntilClosed(int timeoutMs = 5'000);
    // True when the server closed the connection within `timeoutMs`.
    bool waitForClose(int timeoutMs);
    void abort(); // vanish without a goodbye (RST)

    // One request, one complete read: send, then read until closed.
    static QByteArray exchange(quint16 port, const QByteArray &bytes, int timeoutMs = 5'000);

private:
    bool fill(int timeoutMs, const QElapsedTimer &clock);
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};

// Parses every complete response in `bytes` (for pipelining checks).
QList<HttpResponse> parseResponses(const QByteArray &bytes);

} // namespace daarion::testing
