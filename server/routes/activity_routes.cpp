#include "server/routes/activity_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/account_activity.h"
#include "shared/store/database.h"

#include <QJsonArray>

#include <limits>
#include <optional>

namespace daarion::server
{

namespace
{

// A query parameter that must be a whole number in [min, max] when present.
std::optional<qint64> boundedNumber(const ApiRequest &request, const QString &name, qint64 fallback,
                                    qint64 min, qint64 max)
{
    if (!request.query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 value = request.query.queryItemValue(name).toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

} // namespace

void registerActivityRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.get(QStringLiteral("/auth/activity"), [&context](const ApiRequest &request) {
        return withSignedInPerson(
            request, context, [&](store::Database &database, const identity::Caller &caller) {
                const auto limit =
                    boundedNumber(request, QStringLiteral("limit"), identity::kDefaultActivityPage,
                                  1, identity::kMaxActivityPage);
                if (!limit)
                    return invalidRequest(
                        QStringLiteral("limit must be a whole number from 1 to %1")
                            .arg(identity::kMaxActivityPage));
                const auto before = boundedNumber(request, QStringLiteral("before"), 0, 1,
                                                  std::numeric_limits<qint64>::max());
                if (!before)
                    return invalidRequest(
                        QStringLiteral("before must be an event id from an earlier page"));
                // The account is the caller's, never one the request names.
                auto page = identity::accountActivity(database, caller.session->user.id, *before,
                                                      int(*limit));
                if (!page)
                    return apiError(page.error());
                QJsonArray events;
                for (const store::AuditRecord &record : page->events)
                    events.append(activityEventJson(record));
                return ApiResponse::json(QJsonObject{
                    {QStringLiteral("events"), events},
                    {QStringLiteral("next_before"),
                     page->nextBefore > 0 ? QJsonValue(page->nextBefore) : QJsonValue()},
                });
            });
    });
}

} // namespace daarion::server
