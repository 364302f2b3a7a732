#include "shared/identity/passkey_ceremonies.h"

#include "shared/identity/caller.h"
#include "shared/identity/secret_token.h"
#include "shared/store/audit_repository.h"
#include "shared/store/ceremony_repository.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/database.h"
#include "shared/store/membership_repository.h"
#include "shared/store/service_secret_repository.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/client_data.h"
#include "shared/webauthn/cose_key.h"

#include <QMessageAuthenticationCode>
#include <QMutexLocker>
#include <QRegularExpression>

namespace daarion::identity {

namespace {
constexpr int kChallengeBytes = 32;
constexpr int kUserHandleBytes = 32;
constexpr int kCeremonyTimeoutMs = 60000; // what the browser shows; the challenge lives longer
constexpr int kStandInCredentialIdBytes = 32;

IssuedSession issuedSession(const store::SessionRecord &record, const QString &token)
{
    return IssuedSession{record.id, token, record.expiresAt};
}

store::AuditContext auditContext(const RequestOrigin &origin, const QString &actor = {})
{
    return store::AuditContext{actor, origin.clientIp, origin.userAgent};
}
} // namespace

PasskeyCeremonies::PasskeyCeremonies(const config::Settings &settings,
                                     const webauthn::TrustAnchors &trustAnchors)
    : m_settings(settings), m_ceremonyOrigins(settings.ceremonyOrigins()),
      m_trustAnchors(trustAnchors), m_authenticators(settings)
{
}

bool PasskeyCeremonies::isValidUsername(const QString &username)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_.-]{3,32}$"));
    return pattern.match(username).hasMatch();
}

bool PasskeyCeremonies::isValidDisplayName(const QString &name)
{
    if (name.size() > 64)
        return false;
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control || c.isNull())
            return false;
    }
    return true;
}

QString PasskeyCeremonies::userVerificationPolicy() const
{
    return m_settings.requireUserVerification ? QStringLiteral("required")
                                              : QStringLiteral("preferred");
}

QList<std::int64_t> PasskeyCeremonies::offeredAlgorithms() const
{
    using namespace webauthn::cose;
    // The contract's three first (EdDSA, ES256, RS256), then the rest we verify.
    return {EdDSA, ES256, RS256, ES384, ES512, PS256, Ed25519};
}

webauthn::RegistrationPolicy PasskeyCeremonies::registrationPolicy(const QByteArray &challenge,
                                                                   const QString &rpId,
                                                                   const QString &userVerification,
                                                                   const QDateTime &now) const
{
    webauthn::RegistrationPolicy policy;
    policy.verificationTime = now; // certificates must be valid now, by the service's clock
    policy.challenge = challenge;
    policy.rpId = rpId;
    policy.allowedOrigins = m_ceremonyOrigins;
    policy.allowedTopOrigins = m_settings.topOrigins;
    policy.requireTopOrigin = true;
    policy.requireUserVerification = userVerification == QLatin1String("required");
    policy.allowedAlgorithms = offeredAlgorithms();
    policy.trustAnchors = &m_trustAnchors;
    policy.requireTrustedAttestation = m_settings.requireTrustedAttestation;
    return policy;
}

ServiceResult<CreationOptions> PasskeyCeremonies::issueRegistration(store::Database &database,
                                                                    store::ChallengeRecord challenge,
                                                                    const QByteArray &userHandle,
                                                                    const QString &username,
                                                                    const QString &displayName)
{
    challenge.challenge = randomBytes(kChallengeBytes);
    challenge.ceremony = store::Ceremony::Registration;
    challenge.rpId = m_settings.rpId;
    challenge.userVerification = userVerificationPolicy();
    auto stored = store::ChallengeRepository(database).create(challenge, m_settings.challengeTtl);
    if (!stored)
        return fromStore(stored.error());

    CreationOptions options;
    options.challenge = challenge.challenge;
    options.rpId = m_settings.rpId;
    options.rpName = m_settings.rpName;
    options.userHandle = userHandle;
    options.username = username;
    options.displayName = displayName;
    options.algorithms = offeredAlgorithms();
    options.timeoutMs = kCeremonyTimeoutMs;
    options.userVerification = challenge.userVerification;
    options.attestation = m_settings.attestation == config::AttestationConveyance::Direct
                              ? QStringLiteral("direct")
                              : QStringLiteral("none");
    options.hints = m_settings.passkeyHints;
    return options;
}

ServiceResult<CreationOptions> PasskeyCeremonies::startSignUp(store::Database &database,
                                                              const QString &username,
                                                              const QString &displayName,
                                                              const QString &deviceName)
{
    auto exists = store::UserRepository(database).usernameExists(username);
    if (!exists)
        return fromStore(exists.error());
    if (exists.value())
        return serviceError(ErrorCode::UsernameTaken);

    store::ChallengeRecord challenge;
    challenge.pendingUsername = username;
    challenge.pendingDisplayName = displayName.isEmpty() ? username : displayName;
    challenge.pendingUserHandle = randomBytes(kUserHandleBytes);
    challenge.deviceName = deviceName;
    return issueRegistration(database, challenge, challenge.pendingUserHandle, username,
                             challenge.pendingDisplayName);
}

ServiceResult<CreationOptions> PasskeyCeremonies::startAddPasskey(store::Database &database,
                                                                  const store::UserRecord &user,
                                                                  const QString &deviceName,
                                                                  bool conditional)
{
    if (conditional && m_settings.requireUserVerification)
        return serviceError(
            ErrorCode::InvalidRequest,
            QStringLiteral("This service requires user verification, which a conditional create "
                           "never performs: add the passkey with the browser's prompt."));
    store::ChallengeRecord challenge;
    challenge.deviceName = deviceName;
    challenge.conditional = conditional;
    return issueForAccount(database, user, challenge);
}

ServiceResult<CreationOptions> PasskeyCeremonies::issueForAccount(store::Database &database,
                                                                  const store::UserRecord &user,
                                                                  store::ChallengeRecord challenge)
{
    auto passkeys = store::PasskeyRepository(database).listByUser(user.id);
    if (!passkeys)
        return fromStore(passkeys.error());

    challenge.userId = user.id;
    auto options = issueRegistration(database, challenge, user.userHandle, user.username,
                                     user.displayName);
    if (!options)
        return options;
    for (const store::PasskeyRecord &passkey : passkeys.value()) {
        if (auto id = webauthn::decodeBase64Url(passkey.credentialId.toLatin1()))
            options->excludeCredentials.append({*id, passkey.transports});
    }
    return options;
}

ServiceCheck PasskeyCeremonies::checkEnrollmentUsable(const store::EnrollmentRecord &enrollment,
                                                      const store::UserRecord &user,
                                                      const QDateTime &now) const
{
    const store::EnrollmentState state = enrollment.stateAt(now);
    switch (state) {
    case store::EnrollmentState::Used:
    case store::EnrollmentState::Revoked:
    case store::EnrollmentState::Expired:
        // One answer for every dead link: the holder learns nothing more.
        return serviceError(ErrorCode::EnrollmentInvalid)
            .withDetail(QStringLiteral("enrollment link %1 is %2")
                            .arg(enrollment.id.toString(QUuid::WithoutBraces),
                                 store::enrollmentStateName(state)));
    case store::EnrollmentState::Waiting:
    case store::EnrollmentState::Usable:
        break;
    }
    if (user.disabled())
        return serviceError(ErrorCode::UserDisabled);
    if (state == store::EnrollmentState::Waiting) {
        ServiceError pending =
            serviceError(ErrorCode::EnrollmentPending)
                .withDetail(QStringLiteral("enrollment link %1 is in its cooling-off delay")
                                .arg(enrollment.id.toString(QUuid::WithoutBraces)));
        pending.extra = {
            {QStringLiteral("usable_at"), enrollment.usableAt.toUTC().toString(Qt::ISODate)}};
        return pending;
    }
    return webauthn::Ok{};
}

ServiceResult<CreationOptions> PasskeyCeremonies::startEnrollment(store::Database &database,
                                                                  const QString &token,
                                                                  const QString &deviceName)
{
    if (!isWellFormedEnrollmentToken(token))
        return serviceError(ErrorCode::EnrollmentInvalid)
            .withDetail(QStringLiteral("not an enrollment token"));
    auto enrollment =
        store::EnrollmentRepository(database).findByTokenHash(hashPresentedSecret(token));
    if (!enrollment) {
        if (enrollment.kind() == store::StoreErrorKind::NotFound)
            return serviceError(ErrorCode::EnrollmentInvalid)
                .withDetail(QStringLiteral("unknown enrollment token"));
        return fromStore(enrollment.error());
    }
    auto user = store::UserRepository(database).findById(enrollment->userId);
    if (!user)
        return fromStore(user.error());
    if (auto usable = checkEnrollmentUsable(*enrollment, *user, database.now()); !usable)
        return usable.error();

    // The challenge is bound to the link; the link stays unused until finish.
    store::ChallengeRecord challenge;
    challenge.enrollmentId = enrollment->id;
    challenge.deviceName = deviceName;
    return issueForAccount(database, *user, challenge);
}

ServiceResult<RegistrationDone> PasskeyCeremonies::finishRegistration(
    store::Database &database, const webauthn::RegistrationResponse &response,
    const std::optional<store::UserRecord> &signedInUser, const QString &deviceName,
    const RequestOrigin &origin, const std::optional<QString> &enrollmentToken)
{
    // The challenge names the ceremony's state; read it from what the
    // authenticator signed over, then consume it before anything else so a
    // response is judged once.
    auto clientData = webauthn::parseClientData(response.clientDataJSON);
    if (!clientData)
        return fromVerifier(clientData.error());
    auto consumed = store::CeremonyRepository(database).consumeRegistration(clientData->challenge);
    if (!consumed)
        return fromStore(consumed.error());
    const store::ChallengeRecord &challenge = consumed->challenge;
    const bool enrolling = !challenge.enrollmentId.isNull();

    if (enrollmentToken) {
        // The finish names a link: it must be the one this ceremony started with.
        const ServiceError otherLink =
            serviceError(ErrorCode::EnrollmentInvalid)
                .withDetail(QStringLiteral("the finish names another enrollment link "
                                           "than the ceremony was started with"));
        if (!enrolling || !isWellFormedEnrollmentToken(*enrollmentToken))
            return otherLink;
        auto named = store::EnrollmentRepository(database).findByTokenHash(
            hashPresentedSecret(*enrollmentToken));
        if (!named && named.kind() != store::StoreErrorKind::NotFound)
            return fromStore(named.error());
        if (!named || named->id != challenge.enrollmentId)
            return otherLink;
    }

    if (enrolling) {
        // The link as it is now: it may have been used, cancelled or expired since start.
        if (!consumed->enrollment || !consumed->user)
            return serviceError(ErrorCode::EnrollmentInvalid)
                .withDetail(QStringLiteral("the link is gone"));
        if (auto usable =
                checkEnrollmentUsable(*consumed->enrollment, *consumed->user, database.now());
            !usable)
            return usable.error();
    } else if (!challenge.isSignUp()) {
        // Adding a passkey needs the same account's session at finish as at start.
        if (!signedInUser)
            return serviceError(ErrorCode::Unauthenticated,
                                QStringLiteral("Sign in to add a passkey to your account."));
        if (signedInUser->id != challenge.userId)
            return serviceError(ErrorCode::Forbidden,
                                QStringLiteral("This ceremony was started for another account."));
    }

    webauthn::RegistrationPolicy policy = registrationPolicy(
        challenge.challenge, challenge.rpId, challenge.userVerification, database.now());
    // §7.1 step 15: user presence may be absent only where the options asked
    // for a conditional create, which the challenge remembers.
    policy.requireUserPresence = !challenge.conditional;
    auto verified = m_authenticators.verifyRegistration(database, response, policy);
    if (!verified) {
        const ServiceError error = verified.error();
        auditFailure(database, store::AuditEventType::RegistrationFailure, error, challenge.userId,
                     challenge.isSignUp() ? challenge.pendingUsername : consumed->user->username,
                     {}, QString::fromLatin1(webauthn::encodeBase64Url(response.rawId)), origin);
        return error;
    }
    const webauthn::RegisteredCredential &credential = verified->credential;

    store::RegistrationCommit commit;
    if (challenge.isSignUp()) {
        commit.newUser = store::NewUser{challenge.pendingUsername, challenge.pendingDisplayName,
                                        challenge.pendingUserHandle};
    } else {
        commit.existingUserId = challenge.userId;
    }
    if (enrolling) {
        commit.enrollmentId = challenge.enrollmentId;
        commit.revokeOtherSessions = m_settings.enrollmentRevokesSessions;
    }
    commit.passkey.credentialId = QString::fromLatin1(webauthn::encodeBase64Url(credential.credentialId));
    commit.passkey.publicKey = credential.publicKeyCose;
    commit.passkey.signCount = credential.signCount;
    commit.passkey.deviceName = deviceName.isEmpty() ? challenge.deviceName : deviceName;
    if (commit.passkey.deviceName.isEmpty())
        commit.passkey.deviceName = AuthenticatorPolicy::defaultDeviceName(verified->authenticator);
    commit.passkey.aaguid = credential.aaguid;
    commit.passkey.alg = int(credential.alg);
    commit.passkey.transports = credential.transports;
    commit.passkey.attestationFmt = credential.fmt;
    commit.passkey.attestationType = webauthn::attestationTypeName(credential.attestationType);
    commit.passkey.attestationTrusted = credential.trusted;
    commit.passkey.userVerified = credential.userVerified;
    commit.passkey.backupEligible = credential.backupEligible;
    commit.passkey.backupState = credential.backupState;
    commit.context = auditContext(origin);
    commit.conditional = challenge.conditional;

    std::optional<IssuedSecret> token;
    if (challenge.isSignUp() || enrolling) {
        token = issueSessionToken();
        commit.sessionTokenHash = token->hash;
        commit.sessionLifetime = m_settings.sessionTtl;
    }

    auto outcome = store::CeremonyRepository(database).completeRegistration(commit);
    if (!outcome) {
        ServiceError error = fromStore(outcome.error());
        if (enrolling && outcome.kind() == store::StoreErrorKind::Disabled)
            error = serviceError(ErrorCode::UserDisabled).withDetail(outcome.error().message);
        auditFailure(database, store::AuditEventType::RegistrationFailure, error, challenge.userId,
                     challenge.isSignUp() ? challenge.pendingUsername : consumed->user->username,
                     {}, commit.passkey.credentialId, origin);
        return error;
    }

    RegistrationDone done;
    done.user = outcome->user;
    done.passkey = outcome->passkey;
    done.authenticator = verified->authenticator;
    done.enrollment = outcome->enrollment;
    done.sessionsRevoked = outcome->sessionsRevoked;
    if (token && outcome->session)
        done.session = issuedSession(*outcome->session, token->text);
    // A new account has no memberships yet; an existing one keeps its own.
    QList<store::MembershipRecord> memberships;
    if (!challenge.isSignUp()) {
        auto listed = store::MembershipRepository(database).listByUser(done.user.id);
        if (listed)
            memberships = listed.value();
    }
    done.actor = identityOf(done.user, memberships);
    return done;
}

ServiceResult<QByteArray> PasskeyCeremonies::standInCredentialId(store::Database &database,
                                                                 const QString &username)
{
    QMutexLocker lock(&m_shieldMutex);
    if (m_enumerationShield.isEmpty()) {
        auto secret = store::ServiceSecretRepository(database).find(QStringLiteral("enumeration_shield"));
        if (!secret)
            return fromStore(secret.error());
        m_enumerationShield = secret.value();
    }
    const QByteArray mac = QMessageAuthenticationCode::hash(username.toUtf8(), m_enumerationShield,
                                                            QCryptographicHash::Sha256);
    return mac.first(kStandInCredentialIdBytes);
}

ServiceResult<RequestOptions> PasskeyCeremonies::startAuthentication(
    store::Database &database, const std::optional<QString> &username)
{
    store::ChallengeRecord challenge;
    challenge.challenge = randomBytes(kChallengeBytes);
    challenge.ceremony = store::Ceremony::Authentication;
    challenge.rpId = m_settings.rpId;
    challenge.userVerification = userVerificationPolicy();

    RequestOptions options;
    if (username) {
        auto user = store::UserRepository(database).findByUsername(*username);
        if (user) {
            auto passkeys = store::PasskeyRepository(database).listByUser(user->id);
            if (!passkeys)
                return fromStore(passkeys.error());
            for (const store::PasskeyRecord &passkey : passkeys.value()) {
                if (passkey.disabled())
                    continue;
                if (auto id = webauthn::decodeBase64Url(passkey.credentialId.toLatin1()))
                    options.allowCredentials.append({*id, passkey.transports});
            }
            challenge.userId = user->id;
        } else if (user.kind() != store::StoreErrorKind::NotFound) {
            return fromStore(user.error());
        }
        if (options.allowCredentials.isEmpty()) {
            // Unknown (or passkey-less) name: a stand-in that is stable per
            // name, so repeated asks look like a real account's.
            auto standIn = standInCredentialId(database, *username);
            if (!standIn)
                return standIn.error();
            options.allowCredentials.append(
                {standIn.value(), {QStringLiteral("hybrid"), QStringLiteral("internal")}});
        }
        // Bound to the name: finishing with anyone else's passkey fails.
        challenge.pendingUsername = *username;
    }

    auto stored = store::ChallengeRepository(database).create(challenge, m_settings.challengeTtl);
    if (!stored)
        return fromStore(stored.error());

    options.challenge = challenge.challenge;
    options.rpId = m_settings.rpId;
    options.timeoutMs = kCeremonyTimeoutMs;
    options.userVerification = challenge.userVerification;
    options.hints = m_settings.passkeyHints;
    return options;
}

ServiceResult<SignInDone> PasskeyCeremonies::finishAuthentication(
    store::Database &database, const webauthn::AssertionResponse &response,
    const RequestOrigin &origin)
{
    auto clientData = webauthn::parseClientData(response.clientDataJSON);
    if (!clientData)
        return fromVerifier(clientData.error());
    if (response.rawId.isEmpty() || response.rawId.size() > webauthn::kMaxCredentialIdLength)
        return serviceError(ErrorCode::MalformedCredential,
                            QStringLiteral("rawId must be 1 to 1023 bytes."));
    const QString credentialId = QString::fromLatin1(webauthn::encodeBase64Url(response.rawId));

    // One statement: the challenge is consumed whatever follows.
    auto consumed = store::CeremonyRepository(database).consumeAuthentication(clientData->challenge,
                                                                             credentialId);
    if (!consumed)
        return fromStore(consumed.error());
    const store::ChallengeRecord &challenge = consumed->challenge;

    const auto refuse = [&](const ServiceError &error) -> ServiceError {
        auditFailure(database, store::AuditEventType::LoginFailure, error,
                     consumed->owner ? consumed->owner->id : QUuid(),
                     consumed->owner ? consumed->owner->username : challenge.pendingUsername,
                     consumed->passkey ? consumed->passkey->id : QUuid(), credentialId, origin);
        return error;
    };
    // One answer for every way a credential is not usable here (no hint
    // whether it exists at all); the log says which. The body names the
    // credential and RP ID so the page can tell the authenticator to forget
    // it (signalUnknownCredential).
    const auto unknownCredential = [&](const QString &why) {
        ServiceError error = serviceError(ErrorCode::UnknownCredential).withDetail(why);
        error.extra = {{QStringLiteral("credential_id"), credentialId},
                       {QStringLiteral("rp_id"), challenge.rpId}};
        return error;
    };

    if (!consumed->passkey || !consumed->owner)
        return refuse(unknownCredential(QStringLiteral("no passkey has this credential ID")));
    const store::PasskeyRecord &passkey = *consumed->passkey;
    const store::UserRecord &owner = *consumed->owner;
    // §7.2 steps 5–6: a sign-in started for one account finishes only with
    // that account's passkey; a discoverable one must name its owner.
    if (!challenge.pendingUsername.isEmpty() && challenge.userId != owner.id)
        return refuse(unknownCredential(
            QStringLiteral("the passkey does not belong to the account the sign-in was started for")));
    if (challenge.pendingUsername.isEmpty() && !response.userHandle)
        return refuse(unknownCredential(QStringLiteral("a discoverable sign-in returned no userHandle")));

    webauthn::AssertionPolicy policy;
    policy.challenge = challenge.challenge;
    policy.rpId = challenge.rpId;
    policy.allowedOrigins = m_ceremonyOrigins;
    policy.allowedTopOrigins = m_settings.topOrigins;
    policy.requireTopOrigin = true;
    policy.requireUserVerification = challenge.userVerification == QLatin1String("required");
    policy.credentialId = response.rawId;
    policy.publicKeyCose = passkey.publicKey;
    policy.storedSignCount = quint32(passkey.signCount);
    policy.storedBackupEligible = passkey.backupEligible;
    policy.userHandle = owner.userHandle;

    auto verified = webauthn::verifyAssertion(response, policy);
    if (!verified) {
        if (verified.error().code == webauthn::ErrorCode::CounterRegression) {
            // Refused, flagged and recorded: a possible clone is for an operator to judge.
            const auto authData = webauthn::parseAuthenticatorData(response.authenticatorData);
            const qint64 presented = authData ? authData->signCount : 0;
            auto flagged = store::PasskeyRepository(database).flagCounterRegression(
                passkey.id, presented, auditContext(origin, store::actorForUser(owner.id)));
            if (!flagged)
                return fromStore(flagged.error());
            return fromVerifier(verified.error());
        }
        return refuse(fromVerifier(verified.error()));
    }
    // Disabled state is told only to someone who proved possession of the key.
    if (passkey.disabled())
        return refuse(serviceError(ErrorCode::CredentialDisabled));
    if (owner.disabled())
        return refuse(serviceError(ErrorCode::UserDisabled));

    const IssuedSecret token = issueSessionToken();
    store::AuthenticationCommit commit;
    commit.passkeyId = passkey.id;
    commit.userId = owner.id;
    commit.signCount = verified->signCount;
    commit.backupState = verified->backupState;
    commit.sessionTokenHash = token.hash;
    commit.sessionLifetime = m_settings.sessionTtl;
    commit.context = auditContext(origin, store::actorForUser(owner.id));
    auto session = store::CeremonyRepository(database).completeAuthentication(commit);
    if (!session) {
        if (session.kind() == store::StoreErrorKind::Disabled)
            return refuse(serviceError(ErrorCode::Forbidden)
                              .withDetail(QStringLiteral("the account or passkey was disabled during the sign-in")));
        if (session.kind() == store::StoreErrorKind::Conflict)
            return refuse(serviceError(ErrorCode::CounterRegression)
                              .withDetail(QStringLiteral("another sign-in with this passkey used the same "
                                                         "counter at the same time")));
        return fromStore(session.error());
    }

    auto memberships = store::MembershipRepository(database).listByUser(owner.id);
    if (!memberships)
        return fromStore(memberships.error());
    return SignInDone{issuedSession(session.value(), token.text),
                      identityOf(owner, memberships.value())};
}

void PasskeyCeremonies::auditFailure(store::Database &database, store::AuditEventType event,
                                     const ServiceError &error, const QUuid &userId,
                                     const QString &username, const QUuid &passkeyId,
                                     const QString &credentialId, const RequestOrigin &origin)
{
    store::AuditEvent row;
    row.type = event;
    row.success = false;
    row.errorCode = errorName(error.code);
    row.userId = userId;
    row.username = username;
    row.passkeyId = passkeyId;
    row.credentialId = credentialId.left(1400);
    row.from(auditContext(origin, userId.isNull() ? QString() : store::actorForUser(userId)));
    // An audit row that cannot be written must not turn a refusal into a 500.
    (void)store::AuditRepository(database).append(row);
}

} // namespace daarion::identity
