#pragma once
// passkey_challenges: ceremony state between start and finish. A challenge is
// 32 random bytes bound to its ceremony, user (or pending sign-up), RP ID and
// user-verification policy; it is consumed with one DELETE … RETURNING, so
// two finishes racing with one challenge (even on two replicas) get exactly
// one winner. An expired challenge is deleted and reported invalid.
// CeremonyRepository has the consume variants that also load the credential.

#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUuid>

#include <chrono>

namespace daarion::store {

class Database;

enum class Ceremony { Registration, Authentication };
QString ceremonyName(Ceremony ceremony); // "registration" | "authentication"

struct ChallengeRecord {
    QByteArray challenge{};      // 32 bytes
    Ceremony ceremony = Ceremony::Authentication;
    QUuid userId{};              // registration for an existing user, or username-first sign-in; else null
    QString pendingUsername{};   // sign-up not yet committed
    QString pendingDisplayName{};
    QByteArray pendingUserHandle{};
    QString deviceName{};        // the name the passkey will get (registration)
    QString rpId{};
    QString userVerification{};  // "required" | "preferred" | "discouraged"
    QDateTime createdAt{};       // set by the database
    QDateTime expiresAt{};       // set by the database from the ttl
    // Registration for userId started with mediation "conditional" (WebAuthn
    // L3 conditional create): only it may finish without user presence.
    bool conditional = false;
    QUuid enrollmentId{}; // registration started with an enrollment link (userId is its account)
    bool isSignUp() const { return ceremony == Ceremony::Registration && userId.isNull(); }
};

class ChallengeRepository
{
public:
    explicit ChallengeRepository(Database &database) : m_database(database) {}

    // Stores the challenge; expires_at = now() + ttl (database clock).
    // Returns the record with createdAt/expiresAt filled.
    StoreResult<ChallengeRecord> create(const ChallengeRecord &challenge,
                                        std::chrono::seconds ttl = std::chrono::minutes(5));

    // Deletes and returns it if it exists for this ceremony; ChallengeInvalid
    // if unknown, already consumed, another ceremony's, or expired.
    StoreResult<ChallengeRecord> consume(const QByteArray &challenge, Ceremony ceremony);

    // Deletes every expired challenge; returns how many.
    StoreResult<qint64> sweepExpired();

private:
    Database &m_database;
};

} // namespace daarion::store
