#include "server/routes/passkey_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/passkey_ceremonies.h"
#include "shared/store/audit_repository.h"
#include "shared/store/database.h"
#include "shared/store/passkey_repository.h"
#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QUuid>

namespace daarion::server {

namespace {

// Runs `body` for a signed-in person with the passkey id of the path.
template <typename Body>
ApiResponse onOwnPasskey(const ApiRequest &request, const ServiceContext &context, Body body)
{
    return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
        const QUuid id = QUuid::fromString(request.pathArguments.value(0));
        if (id.isNull())
            return notFound(QStringLiteral("no such passkey"));
        const store::AuditContext audit{caller.identity.actorId, request.clientAddress.toString(),
                                        request.userAgent};
        return body(store::PasskeyRepository(database), id, caller.session->user.id, audit);
    });
}

} // namespace

void registerPasskeyRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.get(QStringLiteral("/auth/passkeys"), [&context](const ApiRequest &request) {
        return withSignedInPerson(request, context, [&](store::Database &database, const identity::Caller &caller) {
            auto passkeys = store::PasskeyRepository(database).listByUser(caller.session->user.id);
            if (!passkeys)
                return apiError(identity::fromStore(passkeys.error()));
            auto names = identity::describeAuthenticators(database, passkeys.value());
            if (!names)
                return apiError(names.error());
            QJsonArray list;
            for (const store::PasskeyRecord &passkey : passkeys.value())
                list.append(passkeyJson(passkey, names.value()));
            // rp_id and user_handle: what the page hands the browser with
            // these credential IDs (PublicKeyCredential.signalAllAcceptedCredentials)
            // so passkey providers drop the ones this account no longer has.
            return ApiResponse::json(QJsonObject{
                {QStringLiteral("passkeys"), list},
                {QStringLiteral("rp_id"), context.settings.rpId},
                {QStringLiteral("user_handle"),
                 QString::fromLatin1(webauthn::encodeBase64Url(caller.session->user.userHandle))},
            });
        });
    });

    router.patch(QStringLiteral("/auth/passkeys/<arg>"), [&context](const ApiRequest &request) {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        const QJsonValue nameValue = body.object.value(QLatin1String("device_name"));
        const QString name = nameValue.toString().trimmed();
        if (!nameValue.isString() || name.isEmpty() ||
            !identity::PasskeyCeremonies::isValidDisplayName(name))
            return invalidRequest(QStringLiteral("device_name must be a non-empty string of at most 64 characters"));
        return onOwnPasskey(request, context, [&](store::PasskeyRepository passkeys, const QUuid &id,
                                                  const QUuid &owner, const store::AuditContext &audit) {
            auto renamed = passkeys.rename(id, owner, name, audit);
            if (!renamed)
                return apiError(identity::fromStore(renamed.error()));
            auto names = identity::describeAuthenticators(passkeys.database(), {renamed.value()});
            if (!names)
                return apiError(names.error());
            return ApiResponse::json(passkeyJson(renamed.value(), names.value()));
        });
    });

    router.del(QStringLiteral("/auth/passkeys/<arg>"), [&context](const ApiRequest &request) {
        return onOwnPasskey(request, context, [&](store::PasskeyRepository passkeys, const QUuid &id,
                                                  const QUuid &owner, const store::AuditContext &audit) {
            auto removed = passkeys.remove(id, owner, audit);
            if (!removed)
                return apiError(identity::fromStore(removed.error()));
            return ApiResponse::noContent();
        });
    });
}

} // namespace daarion::server
