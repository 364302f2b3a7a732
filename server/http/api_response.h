#pragma once
// What a route handler returns: a status, a body (JSON or raw bytes with its
// content type) and extra headers, which may repeat (several Set-Cookie).
// Built on the worker thread; the edge writes it on the server's thread.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace daarion::server {

struct ApiResponse {
    int status = 200;
    QByteArray body;
    QByteArray contentType; // empty when there is no body
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers, in order; names as written

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse json(const QJsonArray &array, int status = 200);
    static ApiResponse raw(const QByteArray &body, const QByteArray &contentType, int status = 200);
    static ApiResponse noContent(); // 204

    // Chainable: ApiResponse::json(o).withHeader("Set-Cookie", "…").withHeader(…)
    ApiResponse &withHeader(const QByteArray &name, const QByteArray &value) &;
    ApiResponse &&withHeader(const QByteArray &name, const QByteArray &value) &&;
};

} // namespace daarion::server
