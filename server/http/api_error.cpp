#include "server/http/api_error.h"

#include <QHash>
#include <QJsonObject>

namespace daarion::server {

namespace {

// ../shared/API.md "Errors", plus the edge's own: method_not_allowed (405)
// and internal_error (500, a bug on our side, never a client's mistake).
const QHash<QString, int> &statusTable()
{
    static const QHash<QString, int> table = [] {
        QHash<QString, int> t;
        for (const char *code : {"invalid_json", "invalid_request", "challenge_invalid", "type_mismatch",
                                 "origin_mismatch", "rp_id_mismatch", "user_presence_required",
                                 "user_verification_required", "malformed_credential",
                                 "unsupported_algorithm", "attestation_invalid", "backup_flags_invalid"})
            t.insert(QString::fromLatin1(code), 400);
        for (const char *code : {"unauthenticated", "invalid_session", "unknown_credential",
                                 "signature_invalid", "token_reused"})
            t.insert(QString::fromLatin1(code), 401);
        for (const char *code : {"forbidden", "credential_disabled", "user_disabled", "counter_regression"})
            t.insert(QString::fromLatin1(code), 403);
        t.insert(QStringLiteral("not_found"), 404);
        t.insert(QStringLiteral("method_not_allowed"), 405);
        for (const char *code : {"username_taken", "credential_exists", "last_credential"})
            t.insert(QString::fromLatin1(code), 409);
        t.insert(QStringLiteral("payload_too_large"), 413);
        t.insert(QStringLiteral("rate_limited"), 429);
        t.insert(QStringLiteral("internal_error"), 500);
        t.insert(QStringLiteral("unavailable"), 503);
        return t;
    }();
    return table;
}

} // namespace

int statusForErrorCode(const QString &code)
{
    return statusTable().value(code, 500);
}

ApiResponse apiError(const QString &code, const QString &message)
{
    return ApiResponse::json(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}},
                             statusForErrorCode(code));
}

ApiResponse apiError(const webauthn::Error &error)
{
    return apiError(webauthn::errorCodeName(error.code), error.message);
}

ApiResponse invalidRequest(const QString &message)
{
    return apiError(QStringLiteral("invalid_request"), message);
}

ApiResponse notFound(const QString &message)
{
    return apiError(QStringLiteral("not_found"), message.isEmpty() ? QStringLiteral("no such resource") : message);
}

ApiResponse unavailable(const QString &message)
{
    return apiError(QStringLiteral("unavailable"),
                    message.isEmpty() ? QStringLiteral("the service cannot reach its database; retry") : message);
}

ApiResponse rateLimited(int retryAfterSeconds)
{
    const int seconds = qMax(1, retryAfterSeconds);
    return apiError(QStringLiteral("rate_limited"), QStringLiteral("too many requests; retry in %1 s").arg(seconds))
        .withHeader("Retry-After", QByteArray::number(seconds));
}

} // namespace daarion::server
