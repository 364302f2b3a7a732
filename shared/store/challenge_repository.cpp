#include "shared/store/challenge_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"

#include <QSqlQuery>

namespace daarion::store {

QString ceremonyName(Ceremony ceremony)
{
    return ceremony == Ceremony::Registration ? QStringLiteral("registration") : QStringLiteral("authentication");
}

StoreResult<ChallengeRecord> ChallengeRepository::create(const ChallengeRecord &challenge, std::chrono::seconds ttl)
{
    static const QString sql =
        QStringLiteral(
            "INSERT INTO passkey_challenges AS c (challenge, ceremony, user_id, pending_username,"
            " pending_display_name, pending_user_handle, device_name, rp_id, user_verification, "
            "conditional, created_at, expires_at, enrollment_id) SELECT ?::bytea, ?, ?::uuid, ?, ?,"
            " ?::bytea, ?, ?, ?, ?::boolean, t.now, t.now + ?::bigint * interval '1 second', ?::uuid"
            " FROM (SELECT ?::timestamptz AS now) t RETURNING ") +
        rows::challengeColumns(QStringLiteral("c"));
    if (challenge.challenge.size() != 32)
        return storeError(StoreErrorKind::InvalidInput, QStringLiteral("a challenge is 32 bytes"));
    auto result = m_database.run(
        sql, {challenge.challenge, ceremonyName(challenge.ceremony), nullableUuid(challenge.userId),
              nullableText(challenge.pendingUsername), nullableText(challenge.pendingDisplayName),
              nullableBytes(challenge.pendingUserHandle), nullableText(challenge.deviceName),
              challenge.rpId, challenge.userVerification, challenge.conditional,
              qint64(ttl.count()), nullableUuid(challenge.enrollmentId), m_database.now()});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("challenge insert returned nothing"));
    int column = 0;
    return rows::readChallenge(**result, column);
}

StoreResult<ChallengeRecord> ChallengeRepository::consume(const QByteArray &challenge, Ceremony ceremony)
{
    // Deleted even when expired, so a stale challenge cannot be retried; the
    // expiry verdict comes back with it.
    static const QString sql = QStringLiteral("DELETE FROM passkey_challenges AS c WHERE c.challenge = ?::bytea"
                                              " AND c.ceremony = ? RETURNING ") +
                               rows::challengeColumns(QStringLiteral("c"));
    auto result = m_database.run(sql, {challenge, ceremonyName(ceremony)});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return storeError(StoreErrorKind::ChallengeInvalid, QStringLiteral("unknown or already used challenge"));
    int column = 0;
    ChallengeRecord record = rows::readChallenge(**result, column);
    if (record.expiresAt <= m_database.now())
        return storeError(StoreErrorKind::ChallengeInvalid, QStringLiteral("challenge expired"));
    return record;
}

StoreResult<qint64> ChallengeRepository::sweepExpired()
{
    auto result = m_database.run(QStringLiteral("DELETE FROM passkey_challenges WHERE expires_at <= ?::timestamptz"),
                                 {m_database.now()});
    if (!result)
        return result.error();
    return qint64((*result)->numRowsAffected());
}

} // namespace daarion::store
