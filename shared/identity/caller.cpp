#include "shared/identity/caller.h"

#include "shared/identity/secret_token.h"

namespace daarion::identity {

namespace {
// Session tokens are 43 characters and API keys 46; anything far longer is
// not ours and is not worth hashing.
constexpr qsizetype kMaxPresentedSecret = 256;

ServiceError unauthenticated(const QString &message)
{
    return serviceError(ErrorCode::Unauthenticated, message);
}
} // namespace

PresentedCredential PresentedCredential::fromRequest(const QByteArray &apiKeyHeader,
                                                     const QByteArray &authorizationHeader,
                                                     const QString &sessionCookie)
{
    if (!apiKeyHeader.isEmpty())
        return {CredentialKind::ApiKey, QString::fromLatin1(apiKeyHeader.trimmed())};
    if (const auto token = bearerToken(authorizationHeader))
        return {CredentialKind::BearerToken, QString::fromLatin1(*token)};
    if (!sessionCookie.isEmpty())
        return {CredentialKind::CookieToken, sessionCookie};
    return {};
}

std::optional<QByteArray> bearerToken(const QByteArray &authorizationHeader)
{
    static const QByteArray bearer("bearer ");
    if (authorizationHeader.size() <= bearer.size() ||
        authorizationHeader.first(bearer.size()).toLower() != bearer)
        return std::nullopt;
    return authorizationHeader.sliced(bearer.size()).trimmed();
}

ActorIdentity identityOf(const store::UserRecord &user,
                         const QList<store::MembershipRecord> &memberships)
{
    ActorIdentity identity;
    identity.actorType = ActorType::Human;
    identity.userId = user.id.toString(QUuid::WithoutBraces);
    identity.actorId = QStringLiteral("user:") + identity.userId;
    identity.username = user.username;
    identity.displayName = user.displayName;
    for (const store::MembershipRecord &membership : memberships)
        identity.memberships.append({membership.microdaoId, membership.role});
    return identity;
}

ActorIdentity identityOf(const store::ApiKeyRecord &key)
{
    ActorIdentity identity;
    identity.actorType = key.actorType == QLatin1String("service") ? ActorType::Service
                                                                     : ActorType::Agent;
    identity.actorId = key.actorId();
    // An agent bound to one microDAO acts as a member of it, nothing more:
    // whoever created the key (an owner or admin) cannot hand an agent their
    // own rank. Services are platform infrastructure, trusted for their
    // actor_type, and hold no microDAO membership (docs/INTEGRATION.md).
    if (identity.actorType == ActorType::Agent && !key.microdaoId.isEmpty())
        identity.memberships.append({key.microdaoId, QStringLiteral("member")});
    return identity;
}

ServiceResult<Caller> resolveCaller(store::Database &database, const PresentedCredential &credential,
                                    std::chrono::seconds sessionIdleTimeout)
{
    if (credential.kind == CredentialKind::None || credential.secret.isEmpty())
        return unauthenticated(QStringLiteral("Sign in first: no session token or API key was sent."));
    if (credential.secret.size() > kMaxPresentedSecret) {
        return credential.kind == CredentialKind::ApiKey
                   ? unauthenticated(QStringLiteral("The API key is not valid."))
                   : serviceError(ErrorCode::InvalidSession,
                                  QStringLiteral("The session token is not valid."));
    }

    Caller caller;
    caller.tokenHash = hashPresentedSecret(credential.secret);
    if (credential.kind == CredentialKind::ApiKey) {
        auto key = store::ApiKeyRepository(database).authenticate(caller.tokenHash);
        if (!key) {
            if (key.kind() == store::StoreErrorKind::NotFound)
                return unauthenticated(QStringLiteral("The API key is unknown, revoked or expired."));
            return fromStore(key.error());
        }
        caller.identity = identityOf(key.value());
        caller.apiKey = std::move(key).value();
        return caller;
    }

    auto session = store::SessionRepository(database).authenticate(caller.tokenHash, sessionIdleTimeout);
    if (!session)
        return fromStore(session.error());
    caller.identity = identityOf(session->user, session->memberships);
    caller.session = std::move(session).value();
    return caller;
}

} // namespace daarion::identity
