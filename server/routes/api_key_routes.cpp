#include "server/routes/api_key_routes.h"

#include "server/http/api_error.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/api_keys.h"
#include "shared/store/database.h"

#include <QJsonArray>
#include <QUuid>

#include <algorithm>

namespace daarion::server {

namespace {

ApiResponse forbidden(const QString &message) { return apiError(identity::ErrorCode::Forbidden, message); }

// Runs `body` for a person signed in with a session; keys and JWTs cannot
// manage keys (an agent must not mint more agents).
template <typename Body>
ApiResponse asKeyManager(const ApiRequest &request, const ServiceContext &context, Body body)
{
    store::Database &database = store::Database::forThisThread(context.database);
    auto caller = resolveCaller(request, context, database);
    if (!caller)
        return apiError(caller.error());
    if (!caller->isHuman())
        return forbidden(QStringLiteral("API keys are managed with a person's session, not an API key"));
    const store::AuditContext audit{caller->identity.actorId, request.clientAddress.toString(), request.userAgent};
    return body(database, caller.value(), audit);
}

// The microDAOs whose keys this person manages, in membership order.
QStringList administeredMicrodaos(const identity::ActorIdentity &identity)
{
    QStringList ids;
    for (const QString &id : identity.microdaoIds()) {
        if (identity::mayAdministerMicrodao(identity, id))
            ids.append(id);
    }
    return ids;
}

} // namespace

QJsonObject apiKeyJson(const store::ApiKeyRecord &key)
{
    return QJsonObject{
        {QStringLiteral("id"), key.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("key_prefix"), key.keyPrefix},
        {QStringLiteral("actor_id"), key.actorId()},
        {QStringLiteral("actor_type"), key.actorType},
        {QStringLiteral("name"), key.actorName},
        {QStringLiteral("microdao_id"), key.microdaoId.isEmpty() ? QJsonValue::Null : QJsonValue(key.microdaoId)},
        {QStringLiteral("created_at"), rfc3339(key.createdAt)},
        {QStringLiteral("expires_at"), rfc3339(key.expiresAt)},
        {QStringLiteral("last_used_at"), rfc3339(key.lastUsedAt)},
        {QStringLiteral("revoked_at"), rfc3339(key.revokedAt)},
        {QStringLiteral("state"), store::apiKeyStateName(key.state)},
    };
}

void registerApiKeyRoutes(ApiRouter &router, const ServiceContext &context)
{
    router.post(QStringLiteral("/auth/api-keys"), [&context](const ApiRequest &request) {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        const QJsonObject &object = body.object;
        const QString actorType = object.value(QLatin1String("actor_type")).toString(QStringLiteral("agent"));
        const QJsonValue name = object.value(QLatin1String("name"));
        const QJsonValue microdao = object.value(QLatin1String("microdao_id"));
        const QJsonValue expires = object.value(QLatin1String("expires_days"));
        if (!name.isString() || !microdao.isString())
            return invalidRequest(QStringLiteral("name and microdao_id are required strings"));
        if (!expires.isUndefined() && !expires.isNull() &&
            (!expires.isDouble() || expires.toDouble() != double(expires.toInt())))
            return invalidRequest(QStringLiteral("expires_days must be a whole number of days"));
        return asKeyManager(request, context, [&](store::Database &database, const identity::Caller &caller,
                                                        const store::AuditContext &audit) {
            if (actorType == QLatin1String("service"))
                return forbidden(QStringLiteral("service keys are issued by operators only"));
            if (!identity::mayAdministerMicrodao(caller.identity, microdao.toString()))
                return forbidden(QStringLiteral("only an owner or admin of that microDAO may create its keys"));
            identity::ApiKeyRequest key;
            key.actorType = actorType;
            key.actorName = name.toString();
            key.microdaoId = microdao.toString();
            if (expires.isDouble())
                key.expiresInDays = expires.toInt();
            key.createdByUserId = caller.session->user.id;
            auto issued =
                identity::issueApiKeyFor(database, key, context.settings.apiKeyTtl, audit);
            if (!issued)
                return apiError(issued.error());
            return ApiResponse::json(QJsonObject{{QStringLiteral("api_key"), issued->key},
                                                 {QStringLiteral("key"), apiKeyJson(issued->record)}},
                                     201);
        });
    });

    router.get(QStringLiteral("/auth/api-keys"), [&context](const ApiRequest &request) {
        return asKeyManager(request, context, [&](store::Database &database, const identity::Caller &caller,
                                                        const store::AuditContext &) {
            QStringList microdaos = administeredMicrodaos(caller.identity);
            const QString only = request.query.queryItemValue(QStringLiteral("microdao_id"));
            if (!only.isEmpty()) {
                if (!microdaos.contains(only))
                    return forbidden(QStringLiteral("only an owner or admin of that microDAO may list its keys"));
                microdaos = {only};
            }
            QList<store::ApiKeyRecord> keys;
            for (const QString &microdao : std::as_const(microdaos)) {
                store::ApiKeyQuery query;
                query.microdaoId = microdao;
                auto listed = store::ApiKeyRepository(database).list(query);
                if (!listed)
                    return apiError(identity::fromStore(listed.error()));
                keys.append(listed.value());
            }
            std::stable_sort(keys.begin(), keys.end(), [](const store::ApiKeyRecord &a, const store::ApiKeyRecord &b) {
                return a.createdAt > b.createdAt;
            });
            QJsonArray list;
            for (const store::ApiKeyRecord &key : std::as_const(keys))
                list.append(apiKeyJson(key));
            return ApiResponse::json(QJsonObject{{QStringLiteral("api_keys"), list}});
        });
    });

    router.del(QStringLiteral("/auth/api-keys/<arg>"), [&context](const ApiRequest &request) {
        return asKeyManager(request, context, [&](store::Database &database, const identity::Caller &caller,
                                                        const store::AuditContext &audit) {
            // A key of a microDAO the caller does not run is "not found": its
            // existence is none of their business.
            const QUuid id = QUuid::fromString(request.pathArguments.value(0));
            if (id.isNull())
                return notFound(QStringLiteral("no such API key"));
            store::ApiKeyRepository keys(database);
            auto key = keys.findById(id);
            if (!key)
                return apiError(identity::fromStore(key.error()));
            if (key->microdaoId.isEmpty() || !identity::mayAdministerMicrodao(caller.identity, key->microdaoId))
                return notFound(QStringLiteral("no such API key"));
            auto revoked = keys.revoke(id, key->microdaoId, audit);
            if (!revoked)
                return apiError(identity::fromStore(revoked.error()));
            return ApiResponse::noContent();
        });
    });
}

} // namespace daarion::server
