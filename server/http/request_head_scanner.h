#pragma once
// Reads the head (request line and header fields) of each HTTP/1.x request
// on a connection before Qt's parser does, and refuses what Qt would get
// wrong or what is too large: Qt 6.4 has no limits, drops *all* headers past
// ~100 fields (the body is then read as another request), ignores a missing
// Host and buffers any Content-Length. Pure: bytes in, verdict out.

#include "shared/identity/error_code.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace daarion::server {

struct HeadLimits {
    int maxRequestLineBytes = 8 * 1024;
    int maxHeadBytes = 16 * 1024; // request line and all fields
    int maxHeaderFields = 64;     // well below Qt's silent limit of 100
    qint64 maxBodyBytes = 64 * 1024;
};

struct RequestHead {
    QByteArray method;
    QByteArray target;
    int minorVersion = 1;        // HTTP/1.<minor>
    qint64 contentLength = 0;
    bool expectContinue = false; // "Expect: 100-continue": Qt never answers it
    bool closeRequested = false; // Connection: close, or HTTP/1.0 without keep-alive
    int headBytes = 0;
};

struct HeadRejection {
    identity::ErrorCode code = identity::ErrorCode::InvalidRequest; // or PayloadTooLarge
    QString message;
    QByteArray origin; // the Origin header if it was read before the refusal (for CORS)
};

class RequestHeadScanner
{
public:
    enum class State { NeedMore, Complete, Rejected };

    explicit RequestHeadScanner(const HeadLimits &limits) : m_limits(limits) {}

    // Appends bytes of the current request; bytes after the head are ignored.
    State feed(QByteArrayView bytes);
    // Starts over for the next request on the connection.
    void reset();

    State state() const { return m_state; }
    const RequestHead &head() const { return m_head; }           // when Complete
    const HeadRejection &rejection() const { return m_rejection; } // when Rejected

private:
    State reject(identity::ErrorCode code, const QString &message);
    State parseHead(qsizetype headEnd);
    bool parseRequestLine(QByteArray line, RequestHead &head); // false: rejected

    HeadLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_lineChecked = 0; // bytes of the request line found well-formed so far
    State m_state = State::NeedMore;
    RequestHead m_head;
    HeadRejection m_rejection;
    QByteArray m_origin; // seen so far in the current head
};

} // namespace daarion::server
