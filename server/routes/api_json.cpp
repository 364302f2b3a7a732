#include "server/routes/api_json.h"

#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QUuid>

namespace daarion::server {

namespace {
QString base64Url(const QByteArray &bytes)
{
    return QString::fromLatin1(webauthn::encodeBase64Url(bytes));
}

QJsonArray credentialDescriptors(const QList<identity::CredentialDescriptor> &descriptors)
{
    QJsonArray array;
    for (const identity::CredentialDescriptor &descriptor : descriptors) {
        QJsonObject entry{{QStringLiteral("type"), QStringLiteral("public-key")},
                          {QStringLiteral("id"), base64Url(descriptor.id)}};
        if (!descriptor.transports.isEmpty())
            entry.insert(QStringLiteral("transports"), QJsonArray::fromStringList(descriptor.transports));
        array.append(entry);
    }
    return array;
}

QJsonArray hintsJson(const QList<webauthn::PublicKeyCredentialHint> &hints)
{
    QJsonArray array;
    for (webauthn::PublicKeyCredentialHint hint : hints)
        array.append(QString(webauthn::hintName(hint)));
    return array;
}

QJsonValue nullableText(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString aaguidText(const QByteArray &aaguid)
{
    if (aaguid.size() != 16)
        return {};
    return QUuid::fromRfc4122(aaguid).toString(QUuid::WithoutBraces);
}
} // namespace

QJsonValue rfc3339(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODate);
}

QJsonObject creationOptionsJson(const identity::CreationOptions &options)
{
    QJsonArray parameters;
    for (std::int64_t alg : options.algorithms)
        parameters.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("public-key")},
                                      {QStringLiteral("alg"), qint64(alg)}});
    return QJsonObject{
        {QStringLiteral("challenge"), base64Url(options.challenge)},
        {QStringLiteral("rp"), QJsonObject{{QStringLiteral("name"), options.rpName},
                                           {QStringLiteral("id"), options.rpId}}},
        {QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), base64Url(options.userHandle)},
                                             {QStringLiteral("name"), options.username},
                                             {QStringLiteral("displayName"), options.displayName}}},
        {QStringLiteral("pubKeyCredParams"), parameters},
        {QStringLiteral("timeout"), options.timeoutMs},
        {QStringLiteral("excludeCredentials"), credentialDescriptors(options.excludeCredentials)},
        // "preferred", not "required": passkeys are discoverable wherever the
        // authenticator can store them, and a U2F security key (which cannot)
        // still registers, for username-first sign-in (issue 6).
        {QStringLiteral("authenticatorSelection"),
         QJsonObject{{QStringLiteral("residentKey"), QStringLiteral("preferred")},
                     {QStringLiteral("requireResidentKey"), false},
                     {QStringLiteral("userVerification"), options.userVerification}}},
        {QStringLiteral("attestation"), options.attestation},
        {QStringLiteral("extensions"), QJsonObject{{QStringLiteral("credProps"), true}}},
        {QStringLiteral("hints"), hintsJson(options.hints)}, // PASSKEY_HINTS; [] when unset
    };
}

QJsonObject requestOptionsJson(const identity::RequestOptions &options)
{
    return QJsonObject{
        {QStringLiteral("challenge"), base64Url(options.challenge)},
        {QStringLiteral("timeout"), options.timeoutMs},
        {QStringLiteral("rpId"), options.rpId},
        {QStringLiteral("allowCredentials"), credentialDescriptors(options.allowCredentials)},
        {QStringLiteral("userVerification"), options.userVerification},
        {QStringLiteral("hints"), hintsJson(options.hints)},
    };
}

QJsonObject actorIdentityJson(const identity::ActorIdentity &identity)
{
    const bool human = identity.actorType == identity::ActorType::Human;
    QJsonArray memberships;
    for (const identity::Membership &membership : identity.memberships)
        memberships.append(QJsonObject{{QStringLiteral("microdao_id"), membership.microdaoId},
                                       {QStringLiteral("role"), membership.role}});
    return QJsonObject{
        {QStringLiteral("actor_id"), identity.actorId},
        {QStringLiteral("actor_type"), identity::actorTypeName(identity.actorType)},
        {QStringLiteral("user_id"), human ? QJsonValue(identity.userId) : QJsonValue::Null},
        {QStringLiteral("username"), human ? QJsonValue(identity.username) : QJsonValue::Null},
        {QStringLiteral("display_name"), human ? QJsonValue(identity.displayName) : QJsonValue::Null},
        {QStringLiteral("microdao_ids"), QJsonArray::fromStringList(identity.microdaoIds())},
        {QStringLiteral("roles"), QJsonArray::fromStringList(identity.roles())},
        {QStringLiteral("memberships"), memberships},
    };
}

QJsonObject passkeyJson(const store::PasskeyRecord &passkey,
                        const std::optional<metadata::AuthenticatorInfo> &authenticator)
{
    QJsonValue model(QJsonValue::Null);
    if (authenticator)
        model = QJsonObject{
            {QStringLiteral("aaguid"), authenticator->aaguid.toString(QUuid::WithoutBraces)},
            {QStringLiteral("name"), authenticator->name},
            {QStringLiteral("icon_light"), nullableText(authenticator->iconLight)},
            {QStringLiteral("icon_dark"), nullableText(authenticator->iconDark)}};
    return QJsonObject{
        {QStringLiteral("id"), passkey.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("credential_id"), passkey.credentialId},
        {QStringLiteral("device_name"), passkey.deviceName},
        {QStringLiteral("aaguid"), nullableText(aaguidText(passkey.aaguid))},
        {QStringLiteral("alg"), passkey.alg},
        {QStringLiteral("transports"), QJsonArray::fromStringList(passkey.transports)},
        {QStringLiteral("attestation_format"), passkey.attestationFmt},
        {QStringLiteral("attestation_type"), passkey.attestationType},
        {QStringLiteral("attestation_trusted"), passkey.attestationTrusted},
        {QStringLiteral("user_verified"), passkey.userVerified},
        {QStringLiteral("backup_eligible"), passkey.backupEligible},
        {QStringLiteral("backup_state"), passkey.backupState},
        {QStringLiteral("sign_count"), passkey.signCount},
        {QStringLiteral("created_at"), rfc3339(passkey.createdAt)},
        {QStringLiteral("last_used_at"), rfc3339(passkey.lastUsedAt)},
        {QStringLiteral("disabled"), passkey.disabled()},
        {QStringLiteral("counter_regression"), passkey.counterRegressed()},
        {QStringLiteral("authenticator"), model},
        {QStringLiteral("metadata_status"), nullableText(passkey.metadataStatus)},
    };
}

QJsonObject passkeyJson(const store::PasskeyRecord &passkey,
                        const identity::AuthenticatorNames &names)
{
    const auto found = names.constFind(passkey.aaguid);
    return passkeyJson(passkey, found == names.constEnd()
                                    ? std::nullopt
                                    : std::optional<metadata::AuthenticatorInfo>(*found));
}

QJsonObject sessionJson(const store::SessionRecord &session, bool current)
{
    return QJsonObject{
        {QStringLiteral("id"), session.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("created_at"), rfc3339(session.createdAt)},
        {QStringLiteral("last_seen_at"), rfc3339(session.lastSeenAt)},
        {QStringLiteral("expires_at"), rfc3339(session.expiresAt)},
        {QStringLiteral("client_ip"), nullableText(session.clientIp)},
        {QStringLiteral("user_agent"), nullableText(session.userAgent)},
        {QStringLiteral("state"), store::sessionStateName(session.state)},
        {QStringLiteral("current"), current},
    };
}

QJsonObject enrollmentJson(const store::EnrollmentRecord &enrollment)
{
    return QJsonObject{
        {QStringLiteral("id"), enrollment.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("created_at"), rfc3339(enrollment.createdAt)},
        {QStringLiteral("usable_at"), rfc3339(enrollment.usableAt)},
        {QStringLiteral("expires_at"), rfc3339(enrollment.expiresAt)},
        {QStringLiteral("issued_by"), enrollment.issuedBy},
    };
}

QJsonObject activityEventJson(const store::AuditRecord &record)
{
    const store::AuditEvent &event = record.event;
    QJsonObject detail = QJsonObject::fromVariantMap(event.details);
    if (!event.success) {
        detail.insert(QStringLiteral("outcome"), QStringLiteral("failure"));
        if (!event.errorCode.isEmpty())
            detail.insert(QStringLiteral("error_code"), event.errorCode);
    }
    // Who acted, when it was not the person: an operator, a service, the system.
    if (!event.actor.isEmpty() && event.actor != store::actorForUser(event.userId))
        detail.insert(QStringLiteral("actor"), event.actor);
    return QJsonObject{
        {QStringLiteral("id"), record.id},
        {QStringLiteral("event"), record.eventName},
        {QStringLiteral("at"), rfc3339(record.occurredAt)},
        {QStringLiteral("client_ip"), nullableText(event.clientIp)},
        {QStringLiteral("user_agent"), nullableText(event.userAgent)},
        {QStringLiteral("credential_id"), nullableText(event.credentialId)},
        {QStringLiteral("detail"), detail},
    };
}

} // namespace daarion::server
