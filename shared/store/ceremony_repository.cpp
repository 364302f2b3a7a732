#include "shared/store/ceremony_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace daarion::store {

namespace {

StoreError challengeInvalid(const QString &why)
{
    return storeError(StoreErrorKind::ChallengeInvalid, why);
}

} // namespace

StoreResult<RegistrationChallenge> CeremonyRepository::consumeRegistration(const QByteArray &challenge)
{
    static const QString sql =
        QStringLiteral("WITH c AS (DELETE FROM passkey_challenges WHERE challenge = ?::bytea"
                       " AND ceremony = 'registration' RETURNING *) SELECT ") +
        rows::challengeColumns(QStringLiteral("c")) + QStringLiteral(", ") +
        rows::userColumns(QStringLiteral("u")) + QStringLiteral(", ") +
        rows::enrollmentColumns(QStringLiteral("e"), QStringLiteral("u")) +
        QStringLiteral(" FROM c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN enrollments e ON "
                       "e.id = c.enrollment_id");
    auto result = m_database.run(sql, {challenge});
    if (!result)
        return result.error();
    QSqlQuery *row = *result;
    if (!row->next())
        return challengeInvalid(QStringLiteral("unknown or already used registration challenge"));
    int column = 0;
    RegistrationChallenge consumed;
    consumed.challenge = rows::readChallenge(*row, column);
    if (consumed.challenge.expiresAt <= m_database.now())
        return challengeInvalid(QStringLiteral("challenge expired"));
    UserRecord user = rows::readUser(*row, column);
    if (!consumed.challenge.userId.isNull())
        consumed.user = std::move(user);
    EnrollmentRecord enrollment = rows::readEnrollment(*row, column);
    if (!consumed.challenge.enrollmentId.isNull())
        consumed.enrollment = std::move(enrollment);
    return consumed;
}

StoreResult<AuthenticationChallenge> CeremonyRepository::consumeAuthentication(const QByteArray &challenge,
                                                                               const QString &credentialId)
{
    static const QString sql =
        QStringLiteral("WITH c AS (DELETE FROM passkey_challenges WHERE challenge = ?::bytea"
                       " AND ceremony = 'authentication' RETURNING *) SELECT ") +
        rows::challengeColumns(QStringLiteral("c")) + QStringLiteral(", ") +
        rows::passkeyColumns(QStringLiteral("p")) + QStringLiteral(", ") + rows::userColumns(QStringLiteral("u")) +
        QStringLiteral(" FROM c LEFT JOIN passkeys p ON p.credential_id = ?"
                       " LEFT JOIN users u ON u.id = p.user_id");
    auto result = m_database.run(sql, {challenge, credentialId});
    if (!result)
        return result.error();
    QSqlQuery *row = *result;
    if (!row->next())
        return challengeInvalid(QStringLiteral("unknown or already used authentication challenge"));
    int column = 0;
    AuthenticationChallenge consumed;
    consumed.challenge = rows::readChallenge(*row, column);
    if (consumed.challenge.expiresAt <= m_database.now())
        return challengeInvalid(QStringLiteral("challenge expired"));
    const bool known = !row->value(column).isNull();
    PasskeyRecord passkey = rows::readPasskey(*row, column);
    UserRecord owner = rows::readUser(*row, column);
    if (known) {
        consumed.passkey = std::move(passkey);
        consumed.owner = std::move(owner);
    }
    return consumed;
}

StoreResult<RegistrationOutcome> CeremonyRepository::completeRegistration(const RegistrationCommit &commit)
{
    static const QString lockUser = QStringLiteral("SELECT ") + rows::userColumns(QStringLiteral("u")) +
                                    QStringLiteral(" FROM users u WHERE u.id = ?::uuid FOR UPDATE");
    static const QString insertPasskey =
        QStringLiteral(
            "INSERT INTO passkeys AS p (user_id, credential_id, public_key, sign_count, "
            "device_name,"
            " aaguid, alg, transports, attestation_fmt, attestation_type, attestation_trusted,"
            " user_verified, backup_eligible, backup_state, metadata_status)"
            " VALUES (?::uuid, ?, ?::bytea, ?::bigint, ?, ?::bytea, ?::integer, ?::text[], ?, ?,"
            " ?::boolean, ?::boolean, ?::boolean, ?::boolean,"
            // a metadata import that committed since the policy looked still flags it
            " (SELECT m.status FROM metadata_entries m WHERE m.aaguid = ?::bytea AND m.status IN"
            "  ('REVOKED', 'USER_VERIFICATION_BYPASS', 'ATTESTATION_KEY_COMPROMISE',"
            "   'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE'))) RETURNING ") +
        rows::passkeyColumns(QStringLiteral("p"));
    static const QString revokeLiveSessions = QStringLiteral(
        "UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = 'enrollment'"
        " WHERE user_id = ?::uuid AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > "
        "?::timestamptz");

    const NewPasskey &key = commit.passkey;
    const bool signUp = commit.existingUserId.isNull();
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();

    RegistrationOutcome outcome;
    if (signUp) {
        auto created = UserRepository(m_database).createUser(commit.newUser);
        if (!created)
            return created.error();
        outcome.user = std::move(created).value();
    } else {
        auto locked = m_database.run(lockUser, {nullableUuid(commit.existingUserId)});
        if (!locked)
            return locked.error();
        if (!(*locked)->next())
            return storeError(StoreErrorKind::NotFound, QStringLiteral("the account no longer exists"));
        int column = 0;
        outcome.user = rows::readUser(**locked, column);
        if (outcome.user.disabled())
            return storeError(StoreErrorKind::Disabled, QStringLiteral("the account is disabled"));
    }

    const QVariant aaguid =
        key.aaguid.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(key.aaguid);
    auto inserted = m_database.run(
        insertPasskey,
        {nullableUuid(outcome.user.id), key.credentialId, key.publicKey, key.signCount,
         key.deviceName.isNull() ? QStringLiteral("") : key.deviceName.left(64), aaguid, key.alg,
         textArrayLiteral(key.transports),
         key.attestationFmt.isEmpty() ? QStringLiteral("none") : key.attestationFmt,
         key.attestationType.isEmpty() ? QStringLiteral("none") : key.attestationType,
         key.attestationTrusted, key.userVerified, key.backupEligible, key.backupState, aaguid});
    if (!inserted)
        return inserted.error();
    if (!(*inserted)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("passkey insert returned nothing"));
    int column = 0;
    outcome.passkey = rows::readPasskey(**inserted, column);

    if (!commit.enrollmentId.isNull()) {
        auto used = EnrollmentRepository(m_database)
                        .use(commit.enrollmentId, outcome.user.id, outcome.passkey.id);
        if (!used)
            return used.error();
        outcome.enrollment = std::move(used).value();
    }
    if (commit.revokeOtherSessions && !signUp) {
        // Before the new session exists, so every one that remains is ended.
        auto revoked =
            m_database.run(revokeLiveSessions,
                           {m_database.now(), nullableUuid(outcome.user.id), m_database.now()});
        if (!revoked)
            return revoked.error();
        outcome.sessionsRevoked = (*revoked)->numRowsAffected();
    }

    if (commit.sessionTokenHash) {
        NewSession session;
        session.userId = outcome.user.id;
        session.passkeyId = outcome.passkey.id;
        session.tokenHash = *commit.sessionTokenHash;
        session.lifetime = commit.sessionLifetime;
        session.clientIp = commit.context.clientIp;
        session.userAgent = commit.context.userAgent;
        auto created = SessionRepository(m_database).create(session);
        if (!created)
            return created.error();
        outcome.session = std::move(created).value();
    }

    AuditEvent event;
    event.type = signUp ? AuditEventType::Registration : AuditEventType::PasskeyAdded;
    event.from(commit.context);
    if (event.actor.isEmpty())
        event.actor = actorForUser(outcome.user.id);
    event.userId = outcome.user.id;
    event.username = outcome.user.username;
    event.passkeyId = outcome.passkey.id;
    event.credentialId = outcome.passkey.credentialId;
    if (outcome.session)
        event.sessionId = outcome.session->id;
    event.details.insert(QStringLiteral("fmt"), outcome.passkey.attestationFmt);
    event.details.insert(QStringLiteral("attestation_type"), outcome.passkey.attestationType);
    event.details.insert(QStringLiteral("attestation_trusted"), outcome.passkey.attestationTrusted);
    event.details.insert(QStringLiteral("alg"), outcome.passkey.alg);
    if (!outcome.passkey.aaguid.isEmpty())
        event.details.insert(QStringLiteral("aaguid"), QString::fromLatin1(outcome.passkey.aaguid.toHex()));
    if (commit.conditional)
        event.details.insert(QStringLiteral("conditional"), true);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (outcome.enrollment) {
        AuditEvent used;
        used.type = AuditEventType::EnrollmentUsed;
        used.from(commit.context);
        if (used.actor.isEmpty())
            used.actor = actorForUser(outcome.user.id);
        used.userId = outcome.user.id;
        used.username = outcome.user.username;
        used.passkeyId = outcome.passkey.id;
        used.credentialId = outcome.passkey.credentialId;
        if (outcome.session)
            used.sessionId = outcome.session->id;
        used.details.insert(QStringLiteral("enrollment_id"),
                            outcome.enrollment->id.toString(QUuid::WithoutBraces));
        used.details.insert(QStringLiteral("kind"), enrollmentKindName(outcome.enrollment->kind));
        used.details.insert(QStringLiteral("issued_by"), outcome.enrollment->issuedBy);
        used.details.insert(QStringLiteral("sessions_revoked"), outcome.sessionsRevoked);
        if (auto audited = AuditRepository(m_database).append(used); !audited)
            return audited.error();
    }
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return outcome;
}

StoreResult<SessionRecord> CeremonyRepository::completeAuthentication(const AuthenticationCommit &commit)
{
    // One statement, so one round trip and all-or-nothing. Every CTE runs;
    // each later one depends on the rows of the earlier, so when the passkey
    // update matches nothing (disabled, or the counter moved) nothing is written.
    static const QString sql =
        QStringLiteral(
            "WITH t AS (SELECT ?::timestamptz AS now),"
            " p AS (UPDATE passkeys SET sign_count = ?::bigint, backup_state = ?::boolean,"
            "  last_used_at = (SELECT now FROM t) WHERE id = ?::uuid AND user_id = ?::uuid AND disabled_at IS NULL"
            "  AND (sign_count < ?::bigint OR (sign_count = 0 AND ?::bigint = 0))"
            "  AND EXISTS (SELECT 1 FROM users WHERE id = ?::uuid AND disabled_at IS NULL)"
            "  RETURNING id, user_id, credential_id),"
            " u AS (UPDATE users SET last_login_at = (SELECT now FROM t) WHERE id = (SELECT user_id FROM p)"
            "  RETURNING id, username),"
            " s AS (INSERT INTO sessions (family_id, user_id, passkey_id, token_hash, created_at, last_seen_at,"
            "  expires_at, client_ip, user_agent)"
            "  SELECT gen_random_uuid(), u.id, p.id, ?::bytea, t.now, t.now, t.now + ?::bigint * interval '1 second',"
            "  ?, ? FROM u, p, t RETURNING *),"
            " e AS (INSERT INTO auth_events (event, outcome, user_id, username, passkey_id, credential_id,"
            "  session_id, client_ip, user_agent, actor, details)"
            "  SELECT 'login_success', 'success', u.id, u.username, p.id, p.credential_id, s.id, ?, ?,"
            "  coalesce(?::text, 'user:' || u.id::text), ?::jsonb FROM u, p, s RETURNING id)"
            " SELECT ") +
        rows::sessionColumnsLive(QStringLiteral("s")) + QStringLiteral(", (SELECT count(*) FROM e) FROM s");
    static const QString diagnose = QStringLiteral(
        "SELECT p.disabled_at IS NOT NULL OR u.disabled_at IS NOT NULL, p.sign_count"
        " FROM passkeys p JOIN users u ON u.id = p.user_id WHERE p.id = ?::uuid AND p.user_id = ?::uuid");

    const QVariant passkeyId = nullableUuid(commit.passkeyId);
    const QVariant userId = nullableUuid(commit.userId);
    const QVariant clientIp = nullableText(commit.context.clientIp.left(64));
    const QVariant userAgent = nullableText(commit.context.userAgent.left(512));
    QJsonObject details{{QStringLiteral("sign_count"), commit.signCount},
                        {QStringLiteral("backup_state"), commit.backupState}};
    auto result = m_database.run(
        sql, {m_database.now(), commit.signCount, commit.backupState, passkeyId, userId, commit.signCount,
              commit.signCount, userId, commit.sessionTokenHash, qint64(commit.sessionLifetime.count()), clientIp, userAgent, clientIp,
              userAgent, commit.context.actor.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                        : QVariant(commit.context.actor.left(128)),
              QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    if (!result)
        return result.error();
    if ((*result)->next()) {
        int column = 0;
        return rows::readSession(**result, column);
    }
    auto why = m_database.run(diagnose, {passkeyId, userId});
    if (!why)
        return why.error();
    if (!(*why)->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("the passkey is gone or not the user's"));
    if ((*why)->value(0).toBool())
        return storeError(StoreErrorKind::Disabled, QStringLiteral("the passkey or its user was disabled"));
    return storeError(StoreErrorKind::Conflict,
                      QStringLiteral("the stored sign count (%1) moved to or past %2 during the sign-in")
                          .arg((*why)->value(1).toLongLong())
                          .arg(commit.signCount));
}

} // namespace daarion::store
