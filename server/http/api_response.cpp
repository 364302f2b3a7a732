#include "server/http/api_response.h"

#include <QJsonDocument>

namespace daarion::server {

namespace {
const QByteArray kJson = QByteArrayLiteral("application/json");
}

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    return ApiResponse{status, QJsonDocument(object).toJson(QJsonDocument::Compact), kJson, {}};
}

ApiResponse ApiResponse::json(const QJsonArray &array, int status)
{
    return ApiResponse{status, QJsonDocument(array).toJson(QJsonDocument::Compact), kJson, {}};
}

ApiResponse ApiResponse::raw(const QByteArray &body, const QByteArray &contentType, int status)
{
    return ApiResponse{status, body, contentType, {}};
}

ApiResponse ApiResponse::noContent()
{
    return ApiResponse{204, {}, {}, {}};
}

ApiResponse &ApiResponse::withHeader(const QByteArray &name, const QByteArray &value) &
{
    headers.append({name, value});
    return *this;
}

ApiResponse &&ApiResponse::withHeader(const QByteArray &name, const QByteArray &value) &&
{
    headers.append({name, value});
    return std::move(*this);
}

} // namespace daarion::server
