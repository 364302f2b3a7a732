#include "server/routes/enrollment_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/store/database.h"
#include "shared/store/enrollment_repository.h"

#include <QJsonArray>
#include <QUuid>

namespace daarion::server
{

void registerEnrollmentRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.get(QStringLiteral("/auth/enrollments"), [&context](const ApiRequest &request) {
        return withSignedInPerson(
            request, context, [&](store::Database &database, const identity::Caller &caller) {
                auto links =
                    store::EnrollmentRepository(database).listPending(caller.session->user.id);
                if (!links)
                    return apiError(identity::fromStore(links.error()));
                QJsonArray list;
                for (const store::EnrollmentRecord &link : links.value())
                    list.append(enrollmentJson(link));
                return ApiResponse::json(QJsonObject{{QStringLiteral("enrollments"), list}});
            });
    });

    router.del(QStringLiteral("/auth/enrollments/<arg>"), [&context](const ApiRequest &request) {
        return withSignedInPerson(
            request, context, [&](store::Database &database, const identity::Caller &caller) {
                const QUuid id = QUuid::fromString(request.pathArguments.value(0));
                if (id.isNull())
                    return notFound(QStringLiteral("no such enrollment link"));
                // Only a link of the caller's own account; another's is not found.
                const store::AuditContext audit{
                    caller.identity.actorId, request.clientAddress.toString(), request.userAgent};
                auto revoked = store::EnrollmentRepository(database).revoke(
                    id, caller.session->user.id, QStringLiteral("owner"), audit);
                if (!revoked) {
                    if (revoked.kind() == store::StoreErrorKind::NotFound)
                        return notFound(QStringLiteral("no such pending enrollment link"));
                    return apiError(identity::fromStore(revoked.error()));
                }
                return ApiResponse::noContent();
            });
    });
}

} // namespace daarion::server
