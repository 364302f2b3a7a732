#pragma once
// Authenticator metadata (FIDO MDS3) in PostgreSQL: the imported BLOB's
// serial number and nextUpdate, its entries by AAGUID, and the passkeys an
// import flags. An import is one transaction: it either replaces every entry,
// flags (and with MetadataAction::Disable disables) the passkeys of models
// that newly carry one of the five compromising statuses, ends the sessions
// of passkeys it disables, and audits all of it, or changes nothing. Every
// replica reads the result at once: nothing is cached in a process.

#include "shared/config/settings.h"
#include "shared/metadata/metadata_blob.h"
#include "shared/store/audit_repository.h"
#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace daarion::store
{

class Database;

struct MetadataImportRequest {
    bool force = false; // import even when `no` is not above the stored one
    config::MetadataAction action = config::MetadataAction::Flag; // METADATA_ACTION
    QDateTime at{}; // the import's instant: imported_at, disabled_at, revoked_at
    AuditContext context{};
};

struct MetadataImportOutcome {
    qint64 number = 0;
    std::optional<qint64> previousNumber{};
    int entries = 0;
    int flaggedPasskeys = 0;  // newly given a compromising metadata_status
    int disabledPasskeys = 0; // of those, disabled now (METADATA_ACTION=disable)
    int clearedPasskeys = 0;  // whose model's status no longer compromises it
    int endedSessions = 0;
};

struct MetadataState {
    qint64 number = 0;
    QDate nextUpdate{};
    int entries = 0;
    QDateTime importedAt{};
    QString importedBy{};
    // Stale once the day after nextUpdate has begun (UTC): a newer BLOB is due.
    bool staleAt(const QDateTime &now) const { return now.toUTC().date() > nextUpdate; }
};

struct MetadataEntryRecord {
    QByteArray aaguid{}; // 16 bytes
    QString description{};
    QString icon{};                       // data: URI or empty
    QList<QByteArray> attestationRoots{}; // DER
    QString status{};                     // latest status report's, or empty
    QDate statusEffectiveDate{};
    bool compromised() const;
};

// One authenticator model as registered here, for the console.
struct AuthenticatorModel {
    QByteArray aaguid{};   // 16 bytes; empty for passkeys that name none
    QString description{}; // from MDS; empty when not in the imported BLOB
    QString icon{};
    QString status{}; // latest MDS status, or empty
    int passkeys = 0;
    int flagged = 0; // with a metadata_status
    int disabled = 0;
};

class MetadataRepository
{
public:
    explicit MetadataRepository(Database &database) : m_database(database) {}

    // Conflict when blob.number is not above the stored one and !force.
    StoreResult<MetadataImportOutcome> import(const metadata::MetadataBlob &blob,
                                              const MetadataImportRequest &request);
    // Nothing before the first import.
    StoreResult<std::optional<MetadataState>> state();
    // The imported entry of one AAGUID (16 bytes), or nothing.
    StoreResult<std::optional<MetadataEntryRecord>> findEntry(const QByteArray &aaguid);
    // Names and icons of several AAGUIDs at once (roots left out), by AAGUID.
    StoreResult<QHash<QByteArray, MetadataEntryRecord>> describe(const QList<QByteArray> &aaguids);
    // Registered passkeys per AAGUID with the model's MDS data, most passkeys first.
    StoreResult<QList<AuthenticatorModel>> authenticatorModels();

private:
    Database &m_database;
};

} // namespace daarion::store
