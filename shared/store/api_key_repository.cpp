#include "shared/store/api_key_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store {

QString apiKeyStateName(ApiKeyState state)
{
    switch (state) {
    case ApiKeyState::Live: return QStringLiteral("live");
    case ApiKeyState::Expired: return QStringLiteral("expired");
    case ApiKeyState::Revoked: return QStringLiteral("revoked");
    case ApiKeyState::Suspended:
        return QStringLiteral("suspended");
    }
    return QStringLiteral("live");
}

QString ApiKeyRecord::actorId() const
{
    QString actor = actorType + QLatin1Char(':');
    if (!microdaoId.isEmpty())
        actor += microdaoId.sliced(microdaoId.indexOf(QLatin1Char(':')) + 1) + QLatin1Char('/');
    return actor + actorName;
}

namespace {

const QString keySelect = QStringLiteral("SELECT ") + rows::apiKeyColumns(QStringLiteral("k")) +
                          QStringLiteral(" FROM api_keys k");

StoreResult<ApiKeyRecord> oneKey(StoreResult<QSqlQuery *> result, const QDateTime &now)
{
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such API key"));
    int column = 0;
    return rows::readApiKey(**result, column, now);
}

AuditEvent keyEvent(AuditEventType type, const ApiKeyRecord &key, const AuditContext &context)
{
    AuditEvent event;
    event.type = type;
    event.userId = key.createdByUserId;
    event.from(context);
    event.details.insert(QStringLiteral("api_key_id"), key.id.toString(QUuid::WithoutBraces));
    event.details.insert(QStringLiteral("key_prefix"), key.keyPrefix);
    event.details.insert(QStringLiteral("actor"), key.actorId());
    if (!key.microdaoId.isEmpty())
        event.details.insert(QStringLiteral("microdao_id"), key.microdaoId);
    return event;
}

} // namespace

StoreResult<ApiKeyRecord> ApiKeyRepository::create(const NewApiKey &key, const AuditContext &context)
{
    static const QString sql =
        QStringLiteral(
            "INSERT INTO api_keys AS k (key_hash, key_prefix, actor_type, actor_name, microdao_id,"
            " created_by_user_id, issued_by_operator, expires_at)"
            " VALUES (?::bytea, ?, ?, ?, ?, ?::uuid, ?::boolean, ?::timestamptz) RETURNING ") +
        rows::apiKeyColumns(QStringLiteral("k"));
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto created = oneKey(
        m_database.run(sql, {key.keyHash, key.keyPrefix, key.actorType, key.actorName,
                             key.microdaoId.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                      : QVariant(key.microdaoId),
                             nullableUuid(key.createdByUserId), key.createdByUserId.isNull(),
                             nullableDateTime(key.expiresAt)}),
        m_database.now());
    if (!created)
        return created.error();
    if (auto audited = AuditRepository(m_database).append(keyEvent(AuditEventType::ApiKeyCreated, *created, context));
        !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return created;
}

StoreResult<ApiKeyRecord> ApiKeyRepository::authenticate(const QByteArray &keyHash)
{
    static const QString sql =
        QStringLiteral(
            "WITH t AS (SELECT ?::timestamptz AS now),"
            " touched AS (UPDATE api_keys AS u SET last_used_at = t.now FROM t WHERE u.key_hash = "
            "?::bytea"
            " AND u.revoked_at IS NULL AND (u.expires_at IS NULL OR u.expires_at > t.now) AND ") +
        rows::apiKeyIssuerMayAct(QStringLiteral("u")) +
        QStringLiteral(
            " AND (u.last_used_at IS NULL OR u.last_used_at < t.now - interval '60 seconds')"
            " RETURNING u.id) ") +
        keySelect + QStringLiteral(" WHERE k.key_hash = ?::bytea");
    const QDateTime now = m_database.now();
    auto found = oneKey(m_database.run(sql, {now, keyHash, keyHash}), now);
    if (!found)
        return found.error();
    if (found->state != ApiKeyState::Live)
        return storeError(StoreErrorKind::NotFound, QStringLiteral("API key is ") + apiKeyStateName(found->state));
    return found;
}

StoreResult<ApiKeyRecord> ApiKeyRepository::findById(const QUuid &id)
{
    static const QString sql = keySelect + QStringLiteral(" WHERE k.id = ?::uuid");
    return oneKey(m_database.run(sql, {nullableUuid(id)}), m_database.now());
}

StoreResult<QList<ApiKeyRecord>> ApiKeyRepository::list(const ApiKeyQuery &query)
{
    static const QString sql =
        keySelect + QStringLiteral(" WHERE (?::text IS NULL OR k.microdao_id = ?::text)"
                                   " AND (?::uuid IS NULL OR k.created_by_user_id = ?::uuid)"
                                   " AND (?::boolean OR (k.revoked_at IS NULL AND"
                                   "      (k.expires_at IS NULL OR k.expires_at > ?::timestamptz)))"
                                   " ORDER BY k.created_at DESC, k.id LIMIT ?::integer OFFSET ?::integer");
    const QVariant microdao = query.microdaoId.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                         : QVariant(query.microdaoId);
    const QVariant creator = nullableUuid(query.createdByUserId);
    const QDateTime now = m_database.now();
    auto result = m_database.run(sql, {microdao, microdao, creator, creator, query.includeInactive, now,
                                       rows::clampLimit(query.limit), rows::clampOffset(query.offset)});
    if (!result)
        return result.error();
    QList<ApiKeyRecord> keys;
    while ((*result)->next()) {
        int column = 0;
        keys << rows::readApiKey(**result, column, now);
    }
    return keys;
}

StoreResult<ApiKeyRecord> ApiKeyRepository::revoke(const QUuid &id, const QString &microdaoId,
                                                   const AuditContext &context)
{
    static const QString sql =
        QStringLiteral("UPDATE api_keys AS k SET revoked_at = ?::timestamptz WHERE k.id = ?::uuid"
                       " AND k.revoked_at IS NULL AND (?::text IS NULL OR k.microdao_id = ?::text) RETURNING ") +
        rows::apiKeyColumns(QStringLiteral("k"));
    const QVariant microdao = microdaoId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(microdaoId);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    const QDateTime now = m_database.now();
    auto revoked = oneKey(m_database.run(sql, {now, nullableUuid(id), microdao, microdao}), now);
    if (!revoked)
        return revoked.error();
    if (auto audited = AuditRepository(m_database).append(keyEvent(AuditEventType::ApiKeyRevoked, *revoked, context));
        !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return revoked;
}

} // namespace daarion::store
