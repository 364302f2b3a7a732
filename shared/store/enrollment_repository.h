#pragma once
// enrollments: one-time links that add a passkey to an account — the way
// back in when its passkeys are gone (recovery), or the way into an account
// an operator made for someone (invite). Only SHA-256 of a link's token is
// kept. A link works from usable_at (a cooling-off delay, during which the
// account's own sessions see it and may cancel it) until expires_at, once.
// Issuing a link revokes the account's older pending ones ("superseded"):
// one way in at a time, so a link sent again does not leave the first one
// usable. Using a link happens in CeremonyRepository::completeRegistration,
// in the transaction that adds the passkey.

#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"
#include "shared/store/user_repository.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <chrono>
#include <optional>

namespace daarion::store
{

class Database;

enum class EnrollmentKind { Recovery, Invite };
QString enrollmentKindName(EnrollmentKind kind); // "recovery" | "invite"

enum class EnrollmentState {
    Waiting, // issued with a delay that has not passed yet
    Usable,
    Used,
    Revoked,
    Expired,
};
QString enrollmentStateName(EnrollmentState state); // "waiting", "usable", …

struct EnrollmentRecord {
    QUuid id{};
    QUuid userId{};
    QString username{}; // the account's, read with the link
    EnrollmentKind kind = EnrollmentKind::Recovery;
    QString note{};
    QString issuedBy{}; // operator:NAME
    QDateTime createdAt{};
    QDateTime usableAt{};
    QDateTime expiresAt{};
    QDateTime usedAt{};
    QUuid usedPasskeyId{};
    QDateTime revokedAt{};
    QString revokedBy{};    // operator:NAME or user:<uuid>
    QString revokeReason{}; // operator, owner, superseded

    EnrollmentState stateAt(const QDateTime &now) const;
};

// Bounds on a link's times, the same as the table's CHECKs.
inline constexpr std::chrono::seconds kMaxEnrollmentDelay{7 * 24 * 3600};
inline constexpr std::chrono::seconds kMaxEnrollmentLifetime{7 * 24 * 3600};
inline constexpr std::chrono::seconds kMinEnrollmentLifetime{5 * 60};

struct NewEnrollment {
    QUuid userId{}; // recovery: a passkey for this account…
    std::optional<NewUser>
        invite{}; // …or an invite: this account is created (UsernameTaken if the name is)
    QByteArray tokenHash{};                   // SHA-256 of the token, 32 bytes
    std::chrono::seconds delay{0};            // usable_at = now + delay
    std::chrono::seconds lifetime{24 * 3600}; // expires_at = usable_at + lifetime
    QString note{};                           // ≤ 200 characters, for operators
    AuditContext context{};                   // the issuer; its actor becomes issued_by
};

struct IssuedEnrollment {
    EnrollmentRecord enrollment{};
    UserRecord user{};
    qint64 superseded = 0; // older pending links of the account revoked by this one
};

class EnrollmentRepository
{
public:
    explicit EnrollmentRepository(Database &database) : m_database(database) {}

    // One transaction: the invited account (or the existing one, locked:
    // NotFound / Disabled), the older pending links revoked as superseded,
    // the new link, and their audit rows (enrollment_revoked per superseded
    // link, enrollment_issued) naming the issuer. InvalidInput when a time
    // or the note is out of bounds.
    StoreResult<IssuedEnrollment> issue(const NewEnrollment &enrollment);

    // The link with this token hash, in whatever state (NotFound).
    StoreResult<EnrollmentRecord> findByTokenHash(const QByteArray &tokenHash);
    StoreResult<EnrollmentRecord> findById(const QUuid &id); // NotFound

    // Links neither used, revoked nor expired (waiting or usable), newest
    // first; userId null: every account's.
    StoreResult<QList<EnrollmentRecord>> listPending(const QUuid &userId = {});

    // Revokes a pending link. ownerId not null: it must be that account's
    // (else NotFound, as for a link that is not pending). Audit
    // enrollment_revoked with the reason.
    StoreResult<EnrollmentRecord> revoke(const QUuid &id, const QUuid &ownerId,
                                         const QString &reason, const AuditContext &context);

    // Uses the link for `passkeyId`, inside the caller's transaction: it must
    // be `userId`'s and usable now (EnrollmentInvalid otherwise; a racing use
    // that committed first makes this one EnrollmentInvalid too). Writes no
    // audit row: completeRegistration writes enrollment_used with the
    // session it starts.
    StoreResult<EnrollmentRecord> use(const QUuid &id, const QUuid &userId, const QUuid &passkeyId);

private:
    Database &m_database;
};

} // namespace daarion::store
