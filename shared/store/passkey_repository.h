#pragma once
// passkeys: the credentials of each user. Created by CeremonyRepository::
// completeRegistration; counters move in completeAuthentication. Here: what
// users and operators see and change.

#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace daarion::store {

class Database;

struct PasskeyRecord {
    QUuid id{};
    QUuid userId{};
    QString credentialId{};  // base64url
    QByteArray publicKey{};  // COSE_Key bytes
    qint64 signCount = 0;
    QString deviceName{};
    QByteArray aaguid{};     // 16 bytes, or empty
    int alg = 0;           // COSE algorithm
    QStringList transports{};
    QString attestationFmt{};
    QString attestationType{}; // none | self | basic | attca | anonca
    bool attestationTrusted = false;
    bool userVerified = false;
    bool backupEligible = false;
    bool backupState = false;
    QDateTime createdAt{};
    QDateTime lastUsedAt{};
    QDateTime disabledAt{};
    QDateTime counterRegressionAt{}; // set: flagged as possibly cloned
    QString
        metadataStatus{}; // the model's MDS status when it compromises it (REVOKED, …), else empty
    bool disabled() const { return disabledAt.isValid(); }
    bool counterRegressed() const { return counterRegressionAt.isValid(); }
};

// A passkey and its owner, for the console.
struct PasskeyWithOwner {
    PasskeyRecord passkey{};
    QString username{};
};

struct PasskeyQuery {
    QUuid userId{};      // null = every user
    QString search{};    // substring of username, device name or credential ID
    bool flaggedOnly = false; // only counter-regression flagged
    QByteArray aaguid{};      // only this authenticator model (16 bytes); empty = every model
    int limit = 200;   // clamped to 1..5000
    int offset = 0;
};

class PasskeyRepository
{
public:
    explicit PasskeyRepository(Database &database) : m_database(database) {}
    Database &database() const { return m_database; }

    StoreResult<PasskeyRecord> findById(const QUuid &id);                       // NotFound
    StoreResult<PasskeyRecord> findByCredentialId(const QString &credentialId); // NotFound
    // Oldest first. For excludeCredentials / allowCredentials and GET /auth/passkeys.
    StoreResult<QList<PasskeyRecord>> listByUser(const QUuid &userId);
    StoreResult<QList<PasskeyWithOwner>> list(const PasskeyQuery &query);

    // ownerId: when not null, the passkey must belong to that user (else NotFound),
    // so a user can act only on their own. Each writes its audit row.
    StoreResult<PasskeyRecord> rename(const QUuid &id, const QUuid &ownerId, const QString &deviceName,
                                      const AuditContext &context);
    // LastCredential when it is the owner's only passkey. The sessions it
    // signed in end with it (reason passkey_deleted).
    StoreCheck remove(const QUuid &id, const QUuid &ownerId, const AuditContext &context);
    // Disabling the owner's last enabled passkey is allowed for operators
    // (it locks the account out, which may be the point). Disabling ends the
    // sessions it signed in (reason passkey_disabled).
    StoreResult<PasskeyRecord> setDisabled(const QUuid &id, bool disabled, const AuditContext &context);

    // Marks a possible clone after a counter regression and writes the
    // counter_regression audit row (outcome failure), in one transaction.
    // The row's sign count is left as it was.
    StoreCheck flagCounterRegression(const QUuid &id, qint64 presentedCount, const AuditContext &context);
    // Operator: clear the flag (after checking the device).
    StoreResult<PasskeyRecord> clearCounterRegression(const QUuid &id, const AuditContext &context);

private:
    Database &m_database;
};

} // namespace daarion::store
