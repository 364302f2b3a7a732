#include "shared/store/row_readers.h"

#include "shared/store/sql_values.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace daarion::store::rows {

namespace {
QString qualified(const QString &alias, const char *columns)
{
    QString result;
    const QStringList names = QString::fromLatin1(columns).split(QLatin1Char(','));
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            result += QStringLiteral(", ");
        result += alias + QLatin1Char('.') + names.at(i).trimmed();
    }
    return result;
}
} // namespace

QString userColumns(const QString &alias)
{
    return qualified(alias, "id, username, display_name, user_handle, created_at, last_login_at, disabled_at");
}

UserRecord readUser(const QSqlQuery &query, int &column)
{
    UserRecord user;
    user.id = uuidAt(query, column++);
    user.username = textAt(query, column++);
    user.displayName = textAt(query, column++);
    user.userHandle = bytesAt(query, column++);
    user.createdAt = timeAt(query, column++);
    user.lastLoginAt = timeAt(query, column++);
    user.disabledAt = timeAt(query, column++);
    return user;
}

QString passkeyColumns(const QString &alias)
{
    return qualified(
        alias, "id, user_id, credential_id, public_key, sign_count, device_name, aaguid, alg, "
               "transports, attestation_fmt, attestation_type, attestation_trusted, user_verified, "
               "backup_eligible, backup_state, created_at, last_used_at, disabled_at, "
               "counter_regression_at, metadata_status");
}

PasskeyRecord readPasskey(const QSqlQuery &query, int &column)
{
    PasskeyRecord passkey;
    passkey.id = uuidAt(query, column++);
    passkey.userId = uuidAt(query, column++);
    passkey.credentialId = textAt(query, column++);
    passkey.publicKey = bytesAt(query, column++);
    passkey.signCount = integerAt(query, column++);
    passkey.deviceName = textAt(query, column++);
    passkey.aaguid = bytesAt(query, column++);
    passkey.alg = int(integerAt(query, column++));
    passkey.transports = parseTextArray(textAt(query, column++));
    passkey.attestationFmt = textAt(query, column++);
    passkey.attestationType = textAt(query, column++);
    passkey.attestationTrusted = boolAt(query, column++);
    passkey.userVerified = boolAt(query, column++);
    passkey.backupEligible = boolAt(query, column++);
    passkey.backupState = boolAt(query, column++);
    passkey.createdAt = timeAt(query, column++);
    passkey.lastUsedAt = timeAt(query, column++);
    passkey.disabledAt = timeAt(query, column++);
    passkey.counterRegressionAt = timeAt(query, column++);
    passkey.metadataStatus = textAt(query, column++);
    return passkey;
}

QString sessionStateExpression(const QString &alias)
{
    const QString a = alias + QLatin1Char('.');
    return QStringLiteral("CASE WHEN %1revoked_at IS NOT NULL THEN 'revoked'"
                          " WHEN %1rotated_at IS NOT NULL THEN 'rotated'"
                          " WHEN %1expires_at <= params.now OR (params.idle_seconds > 0 AND"
                          " %1last_seen_at <= params.now - params.idle_seconds * interval '1 second') THEN 'expired'"
                          " ELSE 'live' END")
        .arg(a);
}

QString sessionColumns(const QString &alias)
{
    return qualified(alias, "id, family_id, user_id, passkey_id, created_at, last_seen_at, expires_at, "
                            "rotated_at, revoked_at, revoke_reason, client_ip, user_agent") +
           QStringLiteral(", ") + sessionStateExpression(alias);
}

QString sessionParams()
{
    return QStringLiteral(" CROSS JOIN (SELECT ?::bigint AS idle_seconds, ?::timestamptz AS now) params");
}

QString sessionColumnsLive(const QString &alias)
{
    return qualified(alias, "id, family_id, user_id, passkey_id, created_at, last_seen_at, expires_at, "
                            "rotated_at, revoked_at, revoke_reason, client_ip, user_agent") +
           QStringLiteral(", 'live'");
}

static SessionState sessionStateFromName(const QString &name)
{
    if (name == QLatin1String("revoked"))
        return SessionState::Revoked;
    if (name == QLatin1String("rotated"))
        return SessionState::Rotated;
    if (name == QLatin1String("expired"))
        return SessionState::Expired;
    return SessionState::Live;
}

SessionRecord readSession(const QSqlQuery &query, int &column)
{
    SessionRecord session;
    session.id = uuidAt(query, column++);
    session.familyId = uuidAt(query, column++);
    session.userId = uuidAt(query, column++);
    session.passkeyId = uuidAt(query, column++);
    session.createdAt = timeAt(query, column++);
    session.lastSeenAt = timeAt(query, column++);
    session.expiresAt = timeAt(query, column++);
    session.rotatedAt = timeAt(query, column++);
    session.revokedAt = timeAt(query, column++);
    session.revokeReason = textAt(query, column++);
    session.clientIp = textAt(query, column++);
    session.userAgent = textAt(query, column++);
    session.state = sessionStateFromName(textAt(query, column++));
    return session;
}

QString challengeColumns(const QString &alias)
{
    return qualified(
        alias,
        "challenge, ceremony, user_id, pending_username, pending_display_name, "
        "pending_user_handle, device_name, rp_id, user_verification, created_at, expires_at, "
        "conditional, enrollment_id");
}

ChallengeRecord readChallenge(const QSqlQuery &query, int &column)
{
    ChallengeRecord challenge;
    challenge.challenge = bytesAt(query, column++);
    challenge.ceremony = textAt(query, column++) == QLatin1String("registration") ? Ceremony::Registration
                                                                                   : Ceremony::Authentication;
    challenge.userId = uuidAt(query, column++);
    challenge.pendingUsername = textAt(query, column++);
    challenge.pendingDisplayName = textAt(query, column++);
    challenge.pendingUserHandle = bytesAt(query, column++);
    challenge.deviceName = textAt(query, column++);
    challenge.rpId = textAt(query, column++);
    challenge.userVerification = textAt(query, column++);
    challenge.createdAt = timeAt(query, column++);
    challenge.expiresAt = timeAt(query, column++);
    challenge.conditional = boolAt(query, column++);
    challenge.enrollmentId = uuidAt(query, column++);
    return challenge;
}

QString apiKeyIssuerMayAct(const QString &alias)
{
    return QStringLiteral(
               "(%1.issued_by_operator OR EXISTS (SELECT 1 FROM users iu"
               " JOIN user_microdao_memberships im ON im.user_id = iu.id"
               " WHERE iu.id = %1.created_by_user_id AND iu.disabled_at IS NULL"
               " AND im.microdao_id = %1.microdao_id AND im.role IN ('owner', 'admin')))")
        .arg(alias);
}

QString enrollmentColumns(const QString &alias, const QString &userAlias)
{
    return qualified(
               alias,
               "id, user_id, kind, note, issued_by, created_at, usable_at, expires_at, used_at, "
               "used_passkey_id, revoked_at, revoked_by, revoke_reason") +
           QStringLiteral(", ") + userAlias + QStringLiteral(".username");
}

EnrollmentRecord readEnrollment(const QSqlQuery &query, int &column)
{
    EnrollmentRecord enrollment;
    enrollment.id = uuidAt(query, column++);
    enrollment.userId = uuidAt(query, column++);
    enrollment.kind = textAt(query, column++) == QLatin1String("invite") ? EnrollmentKind::Invite
                                                                         : EnrollmentKind::Recovery;
    enrollment.note = textAt(query, column++);
    enrollment.issuedBy = textAt(query, column++);
    enrollment.createdAt = timeAt(query, column++);
    enrollment.usableAt = timeAt(query, column++);
    enrollment.expiresAt = timeAt(query, column++);
    enrollment.usedAt = timeAt(query, column++);
    enrollment.usedPasskeyId = uuidAt(query, column++);
    enrollment.revokedAt = timeAt(query, column++);
    enrollment.revokedBy = textAt(query, column++);
    enrollment.revokeReason = textAt(query, column++);
    enrollment.username = textAt(query, column++);
    return enrollment;
}

QString apiKeyColumns(const QString &alias)
{
    return qualified(alias,
                     "id, key_prefix, actor_type, actor_name, microdao_id, created_by_user_id, "
                     "issued_by_operator, created_at, expires_at, last_used_at, revoked_at") +
           QStringLiteral(", ") + apiKeyIssuerMayAct(alias);
}

ApiKeyRecord readApiKey(const QSqlQuery &query, int &column, const QDateTime &now)
{
    ApiKeyRecord key;
    key.id = uuidAt(query, column++);
    key.keyPrefix = textAt(query, column++);
    key.actorType = textAt(query, column++);
    key.actorName = textAt(query, column++);
    key.microdaoId = textAt(query, column++);
    key.createdByUserId = uuidAt(query, column++);
    key.issuedByOperator = boolAt(query, column++);
    key.createdAt = timeAt(query, column++);
    key.expiresAt = timeAt(query, column++);
    key.lastUsedAt = timeAt(query, column++);
    key.revokedAt = timeAt(query, column++);
    const bool issuerMayAct = boolAt(query, column++);
    key.state = key.revokedAt.isValid()                           ? ApiKeyState::Revoked
                : key.expiresAt.isValid() && key.expiresAt <= now ? ApiKeyState::Expired
                : !issuerMayAct                                   ? ApiKeyState::Suspended
                                                                  : ApiKeyState::Live;
    return key;
}

QString membershipColumns(const QString &membershipAlias, const QString &userAlias)
{
    return qualified(membershipAlias, "user_id") + QStringLiteral(", ") + userAlias + QStringLiteral(".username, ") +
           qualified(membershipAlias, "microdao_id, role, created_at");
}

MembershipRecord readMembership(const QSqlQuery &query, int &column)
{
    MembershipRecord membership;
    membership.userId = uuidAt(query, column++);
    membership.username = textAt(query, column++);
    membership.microdaoId = textAt(query, column++);
    membership.role = textAt(query, column++);
    membership.createdAt = timeAt(query, column++);
    return membership;
}

QString auditColumns(const QString &alias)
{
    return qualified(alias, "id, occurred_at, event, outcome, error_code, user_id, username, passkey_id, "
                            "credential_id, session_id, client_ip, user_agent, actor") +
           QStringLiteral(", ") + alias + QStringLiteral(".details::text");
}

AuditRecord readAudit(const QSqlQuery &query, int &column)
{
    AuditRecord record;
    record.id = integerAt(query, column++);
    record.occurredAt = timeAt(query, column++);
    AuditEvent &event = record.event;
    record.eventName = textAt(query, column++);
    event.type = auditEventTypeFromName(record.eventName).value_or(AuditEventType::Count);
    event.success = textAt(query, column++) == QLatin1String("success");
    event.errorCode = textAt(query, column++);
    event.userId = uuidAt(query, column++);
    event.username = textAt(query, column++);
    event.passkeyId = uuidAt(query, column++);
    event.credentialId = textAt(query, column++);
    event.sessionId = uuidAt(query, column++);
    event.clientIp = textAt(query, column++);
    event.userAgent = textAt(query, column++);
    event.actor = textAt(query, column++);
    event.details = QJsonDocument::fromJson(textAt(query, column++).toUtf8()).object().toVariantMap();
    return record;
}

QString membershipsJson(const QString &userIdExpression)
{
    return QStringLiteral("(SELECT coalesce(json_agg(json_build_object('microdao_id', m.microdao_id, 'role', m.role,"
                          " 'created_at', m.created_at) ORDER BY m.microdao_id), '[]')::text"
                          " FROM user_microdao_memberships m WHERE m.user_id = %1)")
        .arg(userIdExpression);
}

QList<MembershipRecord> membershipsFromJson(const QString &json, const QUuid &userId, const QString &username)
{
    QList<MembershipRecord> memberships;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        MembershipRecord membership;
        membership.userId = userId;
        membership.username = username;
        membership.microdaoId = object.value(QStringLiteral("microdao_id")).toString();
        membership.role = object.value(QStringLiteral("role")).toString();
        membership.createdAt =
            QDateTime::fromString(object.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs).toUTC();
        memberships << membership;
    }
    return memberships;
}

int clampLimit(int limit)
{
    return qBound(1, limit, 5000);
}

int clampOffset(int offset)
{
    return qMax(0, offset);
}

QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace daarion::store::rows
