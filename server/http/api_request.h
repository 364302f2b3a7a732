#pragma once
// The request a route handler sees: a plain copy of everything it may need,
// taken on the server's thread before the handler runs on a worker thread
// (a QHttpServerRequest must not outlive its socket or cross threads).

#include "server/http/api_response.h"
#include "server/http/request_cookies.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace daarion::server {

class RateLimiter;
enum class UsernameBucket;

// A request body parsed as one JSON object, or the 400 to return instead.
struct JsonBody {
    QJsonObject object;
    std::optional<ApiResponse> error; // set when the body is refused
    bool ok() const { return !error.has_value(); }
};

struct ApiRequest {
    QByteArray method;         // "GET", "POST", …
    QString path;              // decoded, e.g. "/auth/sessions/4b1d…"
    QStringList pathArguments; // the <arg> parts of the route pattern, in order
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names; repeats joined with ", "
    QByteArray body;           // at most MAX_BODY_BYTES
    QHostAddress peerAddress;  // the TCP peer
    QHostAddress clientAddress; // after TRUSTED_PROXIES / X-Forwarded-For resolution
    QString userAgent;         // may be empty
    QString origin;            // the Origin header; empty when absent
    bool secure = false;       // reached over TLS (or https at a trusted proxy)
    RequestCookies cookies;    // from the Cookie header(s)

    // A header by lower-case name; empty when absent.
    QByteArray header(const QByteArray &lowerCaseName) const { return headers.value(lowerCaseName); }

    // Sent as Content-Type: application/json (any case, parameters allowed).
    bool hasJsonContentType() const;

    // The body as one JSON object. An empty body is {}. Refused with 400
    // invalid_json when it is not JSON, not an object, nested deeper than
    // `maxDepth`, or holds a NUL character (\u0000; the database cannot store
    // it); with 400 invalid_request when it is not sent as application/json.
    JsonBody jsonBody(int maxDepth = 16) const;

    // Per-username rate limit of ceremony routes, which only a handler can
    // apply (it knows the username after parsing the body). Returns the 429 to
    // send when `username` has used up its budget for `bucket` (sign-up and
    // sign-in attempts are counted apart); nothing when allowed or when rate
    // limits are off.
    std::optional<ApiResponse> limitUsername(const QString &username, UsernameBucket bucket) const;

    RateLimiter *rateLimiter = nullptr; // set by the edge; used by limitUsername()
};

} // namespace daarion::server
