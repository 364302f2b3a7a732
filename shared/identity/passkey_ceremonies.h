#pragma once
// The passkey ceremonies of the HTTP API (register/start|finish,
// authenticate/start|finish): the WebAuthn verifier joined to the store.
// Stateless between calls — every ceremony's state is a challenge row — so
// one replica may start what another finishes. Thread-safe: each call takes
// the calling thread's Database.

#include "shared/config/settings.h"
#include "shared/identity/actor_identity.h"
#include "shared/identity/authenticator_policy.h"
#include "shared/identity/service_error.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/user_repository.h"
#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/authentication.h"
#include "shared/webauthn/public_key_credential_hint.h"
#include "shared/webauthn/registration.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <cstdint>
#include <optional>

namespace daarion::store {
class Database;
}

namespace daarion::identity {

// Where a request came from, for the audit log.
struct RequestOrigin {
    QString clientIp;
    QString userAgent;
};

struct CredentialDescriptor {
    QByteArray id;
    QStringList transports;
};

// PublicKeyCredentialCreationOptions, before JSON.
struct CreationOptions {
    QByteArray challenge;
    QString rpId;
    QString rpName;
    QByteArray userHandle;
    QString username;
    QString displayName;
    QList<std::int64_t> algorithms; // pubKeyCredParams, in order of preference
    int timeoutMs = 0;
    QList<CredentialDescriptor> excludeCredentials;
    QString userVerification; // "required" | "preferred"
    QString attestation;      // "none" | "direct"
    QList<webauthn::PublicKeyCredentialHint> hints;
};

// PublicKeyCredentialRequestOptions, before JSON.
struct RequestOptions {
    QByteArray challenge;
    QString rpId;
    int timeoutMs = 0;
    QList<CredentialDescriptor> allowCredentials;
    QString userVerification;
    QList<webauthn::PublicKeyCredentialHint> hints;
};

struct IssuedSession {
    QUuid sessionId;
    QString token; // shown once
    QDateTime expiresAt;
};

struct RegistrationDone {
    store::UserRecord user;
    store::PasskeyRecord passkey;
    std::optional<IssuedSession> session; // a sign-up and an enrollment link sign in at once
    ActorIdentity actor;
    std::optional<metadata::AuthenticatorInfo> authenticator; // the passkey's model, when known
    std::optional<store::EnrollmentRecord> enrollment; // the link used
    qint64 sessionsRevoked = 0;                        // the account's other sessions it ended
};

struct SignInDone {
    IssuedSession session;
    ActorIdentity actor;
};

class PasskeyCeremonies
{
public:
    // `trustAnchors` must outlive this object (may be empty).
    PasskeyCeremonies(const config::Settings &settings, const webauthn::TrustAnchors &trustAnchors);

    static bool isValidUsername(const QString &username); // 3–32 of a-z 0-9 _ . -
    static bool isValidDisplayName(const QString &name);  // ≤ 64 characters, no control characters

    // A new account: username_taken when it exists.
    ServiceResult<CreationOptions> startSignUp(store::Database &database, const QString &username,
                                               const QString &displayName, const QString &deviceName);
    // Another passkey for the signed-in `user`. `conditional`: the page will
    // create it with mediation "conditional" (WebAuthn L3 conditional create,
    // the automatic passkey upgrade), so only this ceremony may finish
    // without user presence; refused (invalid_request) when the service
    // requires user verification, which such a creation never performs.
    ServiceResult<CreationOptions> startAddPasskey(store::Database &database,
                                                   const store::UserRecord &user,
                                                   const QString &deviceName,
                                                   bool conditional = false);
    // A passkey for the account of an enrollment link (`token` as presented:
    // de_…). Does not use the link up: a cancelled prompt may start again.
    // enrollment_invalid (unknown, used, revoked or expired: one code),
    // enrollment_pending with usable_at, user_disabled.
    ServiceResult<CreationOptions> startEnrollment(store::Database &database, const QString &token,
                                                   const QString &deviceName);
    // `signedInUser`: the caller's account, required when the challenge was
    // issued to add a passkey to it. `deviceName` overrides the start's.
    // `enrollmentToken`, when the finish names one: it must be the link the
    // ceremony was started with (enrollment_invalid otherwise). A ceremony
    // started with a link uses it up, ends the account's other sessions
    // (ENROLLMENT_REVOKES_SESSIONS) and signs in.
    ServiceResult<RegistrationDone>
    finishRegistration(store::Database &database, const webauthn::RegistrationResponse &response,
                       const std::optional<store::UserRecord> &signedInUser,
                       const QString &deviceName, const RequestOrigin &origin,
                       const std::optional<QString> &enrollmentToken = std::nullopt);

    // Username-first when `username` is given, discoverable otherwise. An
    // unknown username gets an answer of the same shape.
    ServiceResult<RequestOptions> startAuthentication(store::Database &database,
                                                      const std::optional<QString> &username);
    ServiceResult<SignInDone> finishAuthentication(store::Database &database,
                                                   const webauthn::AssertionResponse &response,
                                                   const RequestOrigin &origin);

private:
    QString userVerificationPolicy() const;
    QList<std::int64_t> offeredAlgorithms() const;
    webauthn::RegistrationPolicy registrationPolicy(const QByteArray &challenge, const QString &rpId,
                                                    const QString &userVerification,
                                                    const QDateTime &now) const;
    // Stores a registration challenge (ceremony, RP ID and UV filled here)
    // and answers with the creation options for it.
    ServiceResult<CreationOptions> issueRegistration(store::Database &database,
                                                     store::ChallengeRecord challenge,
                                                     const QByteArray &userHandle,
                                                     const QString &username,
                                                     const QString &displayName);
    // Creation options for another passkey of `user` (excludeCredentials: its
    // passkeys), the challenge bound to that account.
    ServiceResult<CreationOptions> issueForAccount(store::Database &database,
                                                   const store::UserRecord &user,
                                                   store::ChallengeRecord challenge);
    ServiceResult<QByteArray> standInCredentialId(store::Database &database, const QString &username);
    // enrollment_invalid / enrollment_pending (with usable_at) / user_disabled
    // for a link that cannot be used now.
    ServiceCheck checkEnrollmentUsable(const store::EnrollmentRecord &enrollment,
                                       const store::UserRecord &user, const QDateTime &now) const;
    void auditFailure(store::Database &database, store::AuditEventType event, const ServiceError &error,
                      const QUuid &userId, const QString &username, const QUuid &passkeyId,
                      const QString &credentialId, const RequestOrigin &origin);

    const config::Settings &m_settings;
    const QStringList m_ceremonyOrigins; // ORIGIN and RELATED_ORIGINS
    const webauthn::TrustAnchors &m_trustAnchors;
    AuthenticatorPolicy m_authenticators; // MDS status, ATTESTATION_POLICY, model names
    QMutex m_shieldMutex;
    QByteArray m_enumerationShield; // loaded from the database on first use
};

} // namespace daarion::identity
