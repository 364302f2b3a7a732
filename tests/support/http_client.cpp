#include "tests/support/http_client.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrl>

namespace daarion::testing {

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QList<QByteArray> HttpResponse::headerValues(const QByteArray &name) const
{
    QList<QByteArray> values;
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            values.append(h.second);
    return values;
}

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpResponse::describe() const
{
    if (status == 0)
        return QStringLiteral("no response: ") + networkError;
    return QString::number(status) + QLatin1Char(' ') + QString::fromUtf8(body.left(500));
}

// ---- HttpClient -------------------------------------------------------------

HttpClient::HttpClient(const QString &baseUrl)
    : m_baseUrl(baseUrl)
    , m_manager(std::make_unique<QNetworkAccessManager>())
{
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

void HttpClient::trustCertificate(const QSslCertificate &certificate)
{
    m_trusted.append(certificate);
}

void HttpClient::clearCookies()
{
    m_manager->setCookieJar(new QNetworkCookieJar);
}

HttpResponse HttpClient::get(const QString &path, const Headers &headers)
{
    return request("GET", path, {}, headers);
}

HttpResponse HttpClient::del(const QString &path, const Headers &headers)
{
    return request("DELETE", path, {}, headers);
}

HttpResponse HttpClient::post(const QString &path, const QJsonObject &body, const Headers &headers)
{
    Headers all = headers;
    all.append(qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), all);
}

HttpResponse HttpClient::patch(const QString &path, const QJsonObject &body, const Headers &headers)
{
    Headers all = headers;
    all.append(qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
    return request("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), all);
}

HttpResponse HttpClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                                 const Headers &headers)
{
    QNetworkRequest request(QUrl(m_baseUrl + path));
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (!m_trusted.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(m_trusted);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = body.isEmpty() && method == "GET"
                               ? m_manager->get(request)
                               : m_manager->sendCustomRequest(request, method, body);
    if (!m_trusted.isEmpty()) {
        // A self-signed test certificate has no host name of 127.0.0.1:
        // accept exactly that complaint, nothing else.
        const QList<QSslCertificate> trusted = m_trusted;
        QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, trusted](const QList<QSslError> &errors) {
            QList<QSslError> expected;
            for (const QSslError &error : errors)
                if (trusted.contains(error.certificate())
                    && (error.error() == QSslError::HostNameMismatch || error.error() == QSslError::SelfSignedCertificate))
                    expected.append(error);
            reply->ignoreSslErrors(expected);
        });
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(m_timeoutMs + 1000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();

    HttpResponse response;
    if (!reply->isFinished()) {
        reply->abort();
        response.networkError = QStringLiteral("timed out");
    }
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs()) {
        // Qt joins repeated headers with '\n' (Set-Cookie): split them again.
        for (const QByteArray &value : pair.second.split('\n'))
            response.headers.append({pair.first, value});
    }
    if (response.status == 0 && response.networkError.isEmpty())
        response.networkError = reply->errorString();
    reply->deleteLater();
    return response;
}

// ---- RawConnection ----------------------------------------------------------

RawConnection::RawConnection(quint16 port, const QHostAddress &localAddress)
    : m_socket(std::make_unique<QTcpSocket>())
{
    if (!localAddress.isNull())
        m_socket->bind(localAddress);
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    m_socket->waitForConnected(5'000);
}

RawConnection::~RawConnection()
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
}

bool RawConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RawConnection::send(const QByteArray &bytes, int timeoutMs)
{
    if (!isConnected())
        return false;
    if (m_socket->write(bytes) != bytes.size())
        return false;
    QElapsedTimer clock;
    clock.start();
    while (m_socket->bytesToWrite() > 0) {
        if (!m_socket->waitForBytesWritten(qMax<qint64>(1, timeoutMs - clock.elapsed())))
            return m_socket->bytesToWrite() == 0;
    }
    return isConnected();
}

bool RawConnection::fill(int timeoutMs, const QElapsedTimer &clock)
{
    const qint64 left = timeoutMs - clock.elapsed();
    if (left <= 0)
        return false;
    if (m_socket->bytesAvailable() == 0 && !m_socket->waitForReadyRead(int(left)))
        return false;
    m_buffer += m_socket->readAll();
    return true;
}

HttpResponse RawConnection::readResponse(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const QList<HttpResponse> parsed = parseResponses(m_buffer);
        if (!parsed.isEmpty()) {
            // Drop exactly the first response from the buffer.
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n") + 4;
            const qsizetype length = parsed.first().header("content-length").toLongLong();
            m_buffer.remove(0, headEnd + length);
            return parsed.first();
        }
        if (!fill(timeoutMs, clock)) {
            m_buffer += m_socket->readAll();
            HttpResponse none;
            none.networkError = isConnected() ? QStringLiteral("timed out") : QStringLiteral("closed by the server");
            return none;
        }
    }
}

QByteArray RawConnection::readUntilClosed(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (m_socket->state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs)
        fill(timeoutMs, clock);
    m_buffer += m_socket->readAll();
    QByteArray all = m_buffer;
    m_buffer.clear();
    return all;
}

bool RawConnection::waitForClose(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (m_socket->state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs)
        fill(timeoutMs, clock);
    return m_socket->state() != QAbstractSocket::ConnectedState;
}

void RawConnection::abort()
{
    m_socket->abort();
}

QByteArray RawConnection::exchange(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    RawConnection connection(port);
    connection.send(bytes, timeoutMs);
    return connection.readUntilClosed(timeoutMs);
}

QList<HttpResponse> parseResponses(const QByteArray &bytes)
{
    QList<HttpResponse> responses;
    qsizetype at = 0;
    while (at < bytes.size()) {
        const qsizetype headEnd = bytes.indexOf("\r\n\r\n", at);
        if (headEnd < 0)
            break;
        const QList<QByteArray> lines = bytes.mid(at, headEnd - at).split('\n');
        HttpResponse response;
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/1."))
            break;
        response.status = statusLine.at(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        const qsizetype length = response.header("content-length").toLongLong();
        if (headEnd + 4 + length > bytes.size())
            break;
        response.body = bytes.mid(headEnd + 4, length);
        responses.append(response);
        at = headEnd + 4 + length;
    }
    return responses;
}

} // namespace daarion::testing
