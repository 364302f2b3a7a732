#include "server/http/request_head_scanner.h"

#include <QList>

namespace daarion::server {

using identity::ErrorCode;

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

// Qt skips these before a request line (left over from a previous request).
bool isLeadingFiller(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool isVisibleAscii(char c)
{
    return c >= 0x21 && c <= 0x7e;
}

} // namespace

void RequestHeadScanner::reset()
{
    m_buffer.clear();
    m_lineChecked = 0;
    m_state = State::NeedMore;
    m_head = RequestHead{};
    m_rejection = HeadRejection{};
    m_origin.clear();
}

RequestHeadScanner::State RequestHeadScanner::reject(ErrorCode code, const QString &message)
{
    m_state = State::Rejected;
    m_rejection = HeadRejection{code, message, m_origin};
    m_buffer.clear();
    return m_state;
}

RequestHeadScanner::State RequestHeadScanner::feed(QByteArrayView bytes)
{
    if (m_state != State::NeedMore)
        return m_state;
    qsizetype start = 0;
    if (m_buffer.isEmpty())
        while (start < bytes.size() && isLeadingFiller(bytes[start]))
            ++start;
    if (start == bytes.size())
        return m_state;

    const qsizetype searchFrom = qMax<qsizetype>(0, m_buffer.size() - 2);
    // Never keep more than the head may be: the rest is body (or excess).
    const qsizetype room = qMax<qsizetype>(0, m_limits.maxHeadBytes + 3 - m_buffer.size());
    m_buffer.append(bytes.sliced(start, qMin(room, bytes.size() - start)));

    // The request line, as far as it has arrived: printable ASCII only, so
    // garbage is refused at once instead of after a timeout. Each byte is
    // looked at once, not once per read (a client may send one byte at a
    // time); the last one again, since a CR is fine only as the line's end.
    const qsizetype lineEnd = m_buffer.indexOf('\n', m_lineChecked);
    const qsizetype lineLength = lineEnd < 0 ? m_buffer.size() : lineEnd;
    for (qsizetype i = qMax<qsizetype>(0, m_lineChecked - 1); i < lineLength; ++i) {
        const char c = m_buffer[i];
        // CR only right before the LF (which may not have arrived yet).
        const bool finalCr = c == '\r' && i == lineLength - 1;
        if (!(isVisibleAscii(c) || c == ' ' || finalCr))
            return reject(ErrorCode::InvalidRequest, QStringLiteral("malformed request line"));
    }
    m_lineChecked = lineLength;
    if (lineLength > m_limits.maxRequestLineBytes)
        return reject(ErrorCode::InvalidRequest,
                      QStringLiteral("request line longer than %1 bytes").arg(m_limits.maxRequestLineBytes));
    if (lineEnd < 0)
        return m_state;
    if (lineEnd >= searchFrom && !parseRequestLine(m_buffer.left(lineEnd), m_head))
        return m_state; // refused as soon as the line is complete

    // The head ends at an empty line: "\n\r\n" or "\n\n" (what Qt accepts).
    qsizetype headEnd = -1;
    for (qsizetype i = qMax<qsizetype>(searchFrom, lineEnd); i < m_buffer.size(); ++i) {
        if (m_buffer[i] != '\n')
            continue;
        if (i + 1 < m_buffer.size() && m_buffer[i + 1] == '\n') {
            headEnd = i + 2;
            break;
        }
        if (i + 2 < m_buffer.size() && m_buffer[i + 1] == '\r' && m_buffer[i + 2] == '\n') {
            headEnd = i + 3;
            break;
        }
    }
    if (headEnd < 0 || headEnd > m_limits.maxHeadBytes) {
        if (m_buffer.size() > m_limits.maxHeadBytes || headEnd > m_limits.maxHeadBytes)
            return reject(ErrorCode::InvalidRequest,
                          QStringLiteral("request head larger than %1 bytes").arg(m_limits.maxHeadBytes));
        return m_state;
    }
    return parseHead(headEnd);
}

bool RequestHeadScanner::parseRequestLine(QByteArray requestLine, RequestHead &head)
{
    // METHOD SP origin-form SP HTTP/1.x
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        reject(ErrorCode::InvalidRequest, QStringLiteral("malformed request line (METHOD /path HTTP/1.1)"));
        return false;
    }
    for (char c : parts[0]) {
        if (!(c >= 'A' && c <= 'Z')) {
            reject(ErrorCode::InvalidRequest, QStringLiteral("malformed method"));
            return false;
        }
    }
    if (!parts[1].startsWith('/') && !(parts[0] == "OPTIONS" && parts[1] == "*")) {
        reject(ErrorCode::InvalidRequest, QStringLiteral("request target must be a path"));
        return false;
    }
    if (parts[2] == "HTTP/1.1") {
        head.minorVersion = 1;
    } else if (parts[2] == "HTTP/1.0") {
        head.minorVersion = 0;
    } else {
        reject(ErrorCode::InvalidRequest, QStringLiteral("unsupported protocol version (HTTP/1.0 or HTTP/1.1)"));
        return false;
    }
    head.method = parts[0];
    head.target = parts[1];
    return true;
}

RequestHeadScanner::State RequestHeadScanner::parseHead(qsizetype headEnd)
{
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    RequestHead head;
    head.headBytes = int(headEnd);

    if (!parseRequestLine(lines.first(), head))
        return m_state;

    int fields = 0;
    int hosts = 0;
    bool contentLengthSeen = false;
    bool keepAlive = false;
    bool closeAsked = false;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        QByteArray line = lines[n];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // the empty line that ends the head
        if (line.contains('\r'))
            return reject(ErrorCode::InvalidRequest, QStringLiteral("bare CR in header field"));
        if (line.startsWith(' ') || line.startsWith('\t'))
            return reject(ErrorCode::InvalidRequest, QStringLiteral("folded header lines are not accepted"));
        if (++fields > m_limits.maxHeaderFields)
            return reject(ErrorCode::InvalidRequest,
                          QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderFields));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return reject(ErrorCode::InvalidRequest, QStringLiteral("malformed header field"));
        const QByteArray name = line.left(colon).toLower();
        for (char c : name)
            if (!isTokenChar(c))
                return reject(ErrorCode::InvalidRequest, QStringLiteral("malformed header field name"));
        const QByteArray value = line.mid(colon + 1).trimmed();
        for (char c : value)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                return reject(ErrorCode::InvalidRequest, QStringLiteral("control character in header field"));

        if (name == "content-length") {
            if (value.isEmpty() || value.size() > 15)
                return reject(ErrorCode::InvalidRequest, QStringLiteral("malformed Content-Length"));
            for (char c : value)
                if (c < '0' || c > '9')
                    return reject(ErrorCode::InvalidRequest, QStringLiteral("malformed Content-Length"));
            const qint64 length = value.toLongLong();
            if (contentLengthSeen && length != head.contentLength)
                return reject(ErrorCode::InvalidRequest, QStringLiteral("conflicting Content-Length fields"));
            contentLengthSeen = true;
            head.contentLength = length;
        } else if (name == "transfer-encoding") {
            // Refused rather than half-supported: with Content-Length it is
            // the classic smuggling ambiguity, and JSON bodies have a length.
            return reject(ErrorCode::InvalidRequest, QStringLiteral("Transfer-Encoding is not accepted; send Content-Length"));
        } else if (name == "host") {
            ++hosts;
            if (value.isEmpty())
                return reject(ErrorCode::InvalidRequest, QStringLiteral("empty Host"));
        } else if (name == "expect") {
            if (value.toLower() != "100-continue")
                return reject(ErrorCode::InvalidRequest, QStringLiteral("unsupported Expect"));
            head.expectContinue = true;
        } else if (name == "origin") {
            m_origin = value;
        } else if (name == "connection") {
            for (const QByteArray &token : value.toLower().split(',')) {
                const QByteArray t = token.trimmed();
                if (t == "close")
                    closeAsked = true;
                else if (t == "keep-alive")
                    keepAlive = true;
            }
        }
    }
    if (hosts != 1)
        return reject(ErrorCode::InvalidRequest, hosts == 0 ? QStringLiteral("missing Host header")
                                               : QStringLiteral("more than one Host header"));
    head.closeRequested = closeAsked || (head.minorVersion == 0 && !keepAlive);
    if (head.contentLength > m_limits.maxBodyBytes)
        return reject(ErrorCode::PayloadTooLarge,
                      QStringLiteral("request body larger than %1 bytes").arg(m_limits.maxBodyBytes));

    m_head = head;
    m_state = State::Complete;
    m_buffer.clear();
    return m_state;
}

} // namespace daarion::server
