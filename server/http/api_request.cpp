#include "server/http/api_request.h"

#include "server/http/api_error.h"
#include "server/http/rate_limiter.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace daarion::server {

namespace {

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray type = contentType.trimmed().toLower();
    if (!type.startsWith("application/json"))
        return false;
    const QByteArray rest = type.mid(int(qstrlen("application/json")));
    return rest.isEmpty() || rest.startsWith(';') || rest.startsWith(' ');
}

enum class ScanVerdict { Ok, TooDeep, HasNul };

// One pass over the bytes before Qt's parser sees them: nesting depth outside
// strings, and the \u0000 escape inside them.
ScanVerdict scanJson(const QByteArray &bytes, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    const qsizetype size = bytes.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = bytes[i];
        if (inString) {
            if (c == '\\') {
                if (i + 5 < size && bytes[i + 1] == 'u' && bytes.mid(i + 2, 4) == "0000")
                    return ScanVerdict::HasNul;
                // Qt's parser takes a raw NUL after a backslash as an escaped NUL.
                if (i + 1 < size && bytes[i + 1] == '\0')
                    return ScanVerdict::HasNul;
                ++i; // the escaped character cannot end the string
            } else if (c == '"') {
                inString = false;
            } else if (c == '\0') {
                return ScanVerdict::HasNul;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            if (++depth > maxDepth)
                return ScanVerdict::TooDeep;
            break;
        case '}':
        case ']':
            --depth;
            break;
        case '\0':
            return ScanVerdict::HasNul;
        default:
            break;
        }
    }
    return ScanVerdict::Ok;
}

JsonBody refused(identity::ErrorCode code, const QString &message)
{
    return JsonBody{{}, apiError(code, message)};
}

} // namespace

bool ApiRequest::hasJsonContentType() const
{
    return isJsonContentType(header("content-type"));
}

JsonBody ApiRequest::jsonBody(int maxDepth) const
{
    if (body.trimmed().isEmpty())
        return JsonBody{};
    if (!hasJsonContentType())
        return refused(identity::ErrorCode::InvalidRequest,
                       QStringLiteral("the body must be sent with Content-Type: application/json"));
    switch (scanJson(body, maxDepth)) {
    case ScanVerdict::TooDeep:
        return refused(identity::ErrorCode::InvalidJson,
                       QStringLiteral("JSON nested deeper than %1 levels").arg(maxDepth));
    case ScanVerdict::HasNul:
        return refused(identity::ErrorCode::InvalidJson, QStringLiteral("JSON strings must not contain NUL"));
    case ScanVerdict::Ok:
        break;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refused(identity::ErrorCode::InvalidJson,
                       QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return refused(identity::ErrorCode::InvalidJson, QStringLiteral("the body must be a JSON object"));
    return JsonBody{document.object(), std::nullopt};
}

std::optional<ApiResponse> ApiRequest::limitUsername(const QString &username,
                                                     UsernameBucket bucket) const
{
    if (!rateLimiter || !rateLimiter->enabled() || username.isEmpty())
        return std::nullopt;
    const int retryAfter = rateLimiter->takeForUsername(username.toLower(), bucket);
    if (retryAfter == 0)
        return std::nullopt;
    return rateLimited(retryAfter);
}

} // namespace daarion::server
