#include "server/http/api_error.h"

#include <QJsonObject>
#include <QLoggingCategory>

namespace daarion::server {

Q_LOGGING_CATEGORY(lcApiError, "daarion.api.error")

ApiResponse apiError(identity::ErrorCode code, const QString &message)
{
    return apiError(identity::serviceError(code, message));
}

ApiResponse apiError(const identity::ServiceError &error)
{
    if (!error.detail.isEmpty())
        qCInfo(lcApiError).noquote() << identity::errorName(error.code) << error.detail;
    QJsonObject body = error.extra;
    body.insert(QStringLiteral("error"), QString(identity::errorName(error.code)));
    body.insert(QStringLiteral("message"), error.clientMessage());
    return ApiResponse::json(body, identity::httpStatus(error.code));
}

ApiResponse apiError(const webauthn::Error &error)
{
    return apiError(identity::fromVerifier(error));
}

ApiResponse invalidRequest(const QString &message)
{
    return apiError(identity::ErrorCode::InvalidRequest, message);
}

ApiResponse notFound(const QString &message)
{
    return apiError(identity::ErrorCode::NotFound, message);
}

ApiResponse unavailable(const QString &message)
{
    return apiError(identity::ErrorCode::Unavailable, message);
}

ApiResponse rateLimited(int retryAfterSeconds)
{
    const int seconds = qMax(1, retryAfterSeconds);
    return apiError(identity::ErrorCode::RateLimited,
                    QStringLiteral("Too many requests; retry in %1 s.").arg(seconds))
        .withHeader("Retry-After", QByteArray::number(seconds));
}

} // namespace daarion::server
