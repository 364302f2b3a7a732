#pragma once
// The daemon's ceremonies in as few round trips as possible (DESIGN.md):
// consuming a challenge and loading the credential and its owner is one
// statement; committing a sign-in (counter, last login, session, audit) is
// one statement; committing a registration (user, passkey, session, audit)
// is one transaction.

#include "shared/store/audit_repository.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/store_error.h"
#include "shared/store/user_repository.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <chrono>
#include <optional>

namespace daarion::store {

class Database;

struct RegistrationChallenge {
    ChallengeRecord challenge{};
    std::optional<UserRecord> user{}; // the existing account a passkey is added to; nullopt for sign-up
    std::optional<EnrollmentRecord>
        enrollment{}; // the link the ceremony was started with, as it is now
};

struct AuthenticationChallenge {
    ChallengeRecord challenge{};
    std::optional<PasskeyRecord> passkey{}; // nullopt: no passkey has that credential ID
    std::optional<UserRecord> owner{};      // the passkey's user
};

struct NewPasskey {
    QString credentialId{}; // base64url
    QByteArray publicKey{}; // COSE
    qint64 signCount = 0;
    QString deviceName{};
    QByteArray aaguid{};
    int alg = 0;
    QStringList transports{};
    QString attestationFmt{};
    QString attestationType{};
    bool attestationTrusted = false;
    bool userVerified = false;
    bool backupEligible = false;
    bool backupState = false;
};

struct RegistrationCommit {
    QUuid existingUserId{};                       // adding a passkey to this account, or null…
    NewUser newUser{};                            // …creating this one (sign-up)
    NewPasskey passkey{};
    std::optional<QByteArray> sessionTokenHash{}; // sign-up and enrollment links sign in at once
    std::chrono::seconds sessionLifetime{0};
    QUuid enrollmentId{};             // an enrollment link's ceremony: the link is used up here
    bool revokeOtherSessions = false; // end the account's live sessions (enrollment links)
    AuditContext context{};                       // actor is filled with the user when empty
    bool conditional = false; // made by conditional create: the audit row says so
};

struct RegistrationOutcome {
    UserRecord user{};
    PasskeyRecord passkey{};
    std::optional<SessionRecord> session{};
    std::optional<EnrollmentRecord> enrollment{}; // the link used
    qint64 sessionsRevoked = 0;                   // the account's sessions it ended
};

struct AuthenticationCommit {
    QUuid passkeyId{};
    QUuid userId{};
    qint64 signCount = 0; // the verified new counter
    bool backupState = false;
    QByteArray sessionTokenHash{};
    std::chrono::seconds sessionLifetime{0};
    AuditContext context{};
};

class CeremonyRepository
{
public:
    explicit CeremonyRepository(Database &database) : m_database(database) {}

    // Consumes a registration challenge (ChallengeInvalid if unknown, used,
    // expired or not a registration one) and loads the account it is for
    // and the enrollment link it was started with.
    StoreResult<RegistrationChallenge> consumeRegistration(const QByteArray &challenge);

    // Consumes an authentication challenge and, in the same statement, loads
    // the passkey with this credential ID and its owner. The challenge is
    // consumed whether or not the credential is known.
    StoreResult<AuthenticationChallenge> consumeAuthentication(const QByteArray &challenge,
                                                               const QString &credentialId);

    // One transaction: the user (sign-up) or the existing one (must exist and
    // be enabled: NotFound / Disabled), the passkey, the enrollment link used
    // up (EnrollmentInvalid when it is not usable any more: a racing finish
    // won), the account's other sessions ended if asked, the session if
    // asked, and the audit rows (registration for a sign-up, passkey_added
    // otherwise, and enrollment_used). A refusal leaves nothing behind.
    StoreResult<RegistrationOutcome> completeRegistration(const RegistrationCommit &commit);

    // One statement: new counter, backup state and last_used_at on the
    // passkey, last_login_at on the user, a new session family, and the
    // login_success audit row. Disabled if the passkey or the user was
    // disabled meanwhile; Conflict if the stored counter moved to or past
    // signCount meanwhile (a concurrent sign-in): nothing is written then.
    StoreResult<SessionRecord> completeAuthentication(const AuthenticationCommit &commit);

private:
    Database &m_database;
};

} // namespace daarion::store
