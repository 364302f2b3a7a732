#pragma once
// The API's JSON shapes (../API.md) of the identity layer's plain structs:
// the WebAuthn L3 options forms, ActorIdentity, passkeys and sessions. JSON
// lives here, at the HTTP edge, and nowhere below it.

#include "shared/identity/actor_identity.h"
#include "shared/identity/authenticator_directory.h"
#include "shared/identity/passkey_ceremonies.h"
#include "shared/store/audit_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>

namespace daarion::server {

QJsonValue rfc3339(const QDateTime &time); // UTC "2026-11-26T22:12:09Z"; null when invalid

QJsonObject creationOptionsJson(const identity::CreationOptions &options);
QJsonObject requestOptionsJson(const identity::RequestOptions &options);
QJsonObject actorIdentityJson(const identity::ActorIdentity &identity);
// `authenticator`: the passkey's model (name, icons), or nothing when unknown.
QJsonObject passkeyJson(const store::PasskeyRecord &passkey,
                        const std::optional<metadata::AuthenticatorInfo> &authenticator);
// The same, with the model looked up in `names` by the passkey's AAGUID.
QJsonObject passkeyJson(const store::PasskeyRecord &passkey,
                        const identity::AuthenticatorNames &names);
QJsonObject sessionJson(const store::SessionRecord &session, bool current);
// A pending link as its account's owner sees it (GET /auth/enrollments).
QJsonObject enrollmentJson(const store::EnrollmentRecord &enrollment);
// One event of GET /auth/activity, as the account's owner sees it.
QJsonObject activityEventJson(const store::AuditRecord &record);

} // namespace daarion::server
