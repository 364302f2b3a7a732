#pragma once
// Issuing API keys for agents and services, the one way shared by the HTTP
// route (an owner or admin of a microDAO, agents only) and the operator CLI:
// validate the actor and binding, make the secret, store only its hash with
// an audit row, and hand the key text back to be shown once.

#include "shared/identity/actor_identity.h"
#include "shared/identity/secret_token.h"
#include "shared/identity/service_error.h"
#include "shared/store/api_key_repository.h"

#include <QString>

#include <chrono>
#include <optional>

namespace daarion::store {
class Database;
}

namespace daarion::identity {

inline constexpr int kMaxApiKeyLifetimeDays = 3650;

struct ApiKeyRequest {
    QString actorType;          // "agent" | "service"
    QString actorName;          // [A-Za-z0-9_.-]{1,64}
    QString microdaoId;         // empty = not bound; services are never bound
    // Days the key lives: 1..API_KEY_TTL for a person, 1..3650 for an
    // operator. None: the default, API_KEY_TTL, except an operator's
    // service key, which never expires unless asked to.
    std::optional<int> expiresInDays;
    bool neverExpires = false;  // operators only, not with expiresInDays
    QUuid createdByUserId;      // null for operators
};

struct IssuedApiKey {
    QString key; // "dk_…", shown once
    store::ApiKeyRecord record;
};

bool isValidActorName(const QString &name);
bool isValidMicrodaoId(const QString &microdaoId); // "microdao:" + [A-Za-z0-9_.-]{1,64}

// invalid_request for a bad name, type, binding or lifetime; unavailable.
// `apiKeyTtl` is API_KEY_TTL.
ServiceResult<IssuedApiKey> issueApiKeyFor(store::Database &database, const ApiKeyRequest &request,
                                           std::chrono::seconds apiKeyTtl,
                                           const store::AuditContext &audit);

// Whether this identity may create, list and revoke the keys of a microDAO:
// a person who is its owner or admin.
bool mayAdministerMicrodao(const ActorIdentity &identity, const QString &microdaoId);

} // namespace daarion::identity
