#pragma once
// Who is calling: the credentials a request presents, in the DAARION actor
// context's order — X-API-Key (agents and services), then
// Authorization: Bearer <session token>, then the session_token cookie — and
// the ActorIdentity they resolve to. The first credential present decides:
// a bad API key is not rescued by a good cookie.

#include "shared/identity/actor_identity.h"
#include "shared/identity/service_error.h"
#include "shared/store/api_key_repository.h"
#include "shared/store/session_repository.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

namespace daarion::store {
class Database;
}

namespace daarion::identity {

enum class CredentialKind { None, ApiKey, BearerToken, CookieToken };

struct PresentedCredential {
    CredentialKind kind = CredentialKind::None;
    QString secret;

    // From the raw header values; the first present one wins.
    static PresentedCredential fromRequest(const QByteArray &apiKeyHeader,
                                           const QByteArray &authorizationHeader,
                                           const QString &sessionCookie);
    bool isSessionToken() const
    {
        return kind == CredentialKind::BearerToken || kind == CredentialKind::CookieToken;
    }
};

struct Caller {
    ActorIdentity identity;
    std::optional<store::LiveSession> session;  // a person signed in with a session token
    std::optional<store::ApiKeyRecord> apiKey;  // an agent or service
    QByteArray tokenHash;                       // SHA-256 of the presented secret

    bool isHuman() const { return session.has_value(); }
    bool isService() const { return apiKey && apiKey->actorType == QLatin1String("service"); }
};

// The token of an "Authorization: Bearer <token>" header value (the scheme's
// name in any case, RFC 9110 §11.1); nothing for another scheme or none.
std::optional<QByteArray> bearerToken(const QByteArray &authorizationHeader);

ActorIdentity identityOf(const store::UserRecord &user,
                         const QList<store::MembershipRecord> &memberships);
ActorIdentity identityOf(const store::ApiKeyRecord &key);

// unauthenticated (nothing presented, or an API key that is unknown, revoked
// or expired), invalid_session, token_reused, unavailable.
ServiceResult<Caller> resolveCaller(store::Database &database, const PresentedCredential &credential,
                                    std::chrono::seconds sessionIdleTimeout);

} // namespace daarion::identity
