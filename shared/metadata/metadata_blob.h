#pragma once
// The payload of a FIDO MDS3 metadata BLOB (FIDO Metadata Service v3.0
// §3.1.6 MetadataBLOBPayload, §3.1.1 entries, §3.1.3 status reports): what
// this service keeps of it. Entries are keyed by AAGUID; entries of UAF
// (aaid) and U2F (attestationCertificateKeyIdentifiers) authenticators are
// counted and skipped, since a passkey always names its AAGUID.
//
// Everything is bounded. A payload that breaks the format or a bound is
// refused as a whole (InvalidPayload, naming the entry); only decorations
// that cannot be used are dropped with a warning: an icon that is not an
// image data: URI or is too large, a root certificate that does not parse.

#include "shared/metadata/metadata_error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace daarion::metadata
{

inline constexpr qsizetype kMaxEntries = 20000;         // the real BLOB has about a thousand
inline constexpr qsizetype kMaxStatusReports = 256;     // per entry
inline constexpr qsizetype kMaxEntryRoots = 64;         // attestationRootCertificates per entry
inline constexpr qsizetype kMaxDescriptionChars = 1024; // real ones are under 100
inline constexpr qsizetype kMaxIconChars = 512 * 1024;  // a data: URI; larger ones are dropped
inline constexpr qsizetype kMaxStatusChars = 64;

struct StatusReport {
    QString status;      // AuthenticatorStatus name, e.g. "FIDO_CERTIFIED_L1"
    QDate effectiveDate; // invalid when the report has none
};

struct MetadataEntry {
    QUuid aaguid;
    QString description;                // metadataStatement.description; may be empty
    QString icon;                       // data:image/…;base64,… or empty
    QList<QByteArray> attestationRoots; // DER, parsed once
    QList<StatusReport> statusReports;  // as listed
    QString status;                     // the latest report's status (empty: none)
    QDate statusEffectiveDate;
    QDate timeOfLastStatusChange;
    bool compromised() const; // status is one of the five of isCompromisingStatus
};

struct MetadataBlob {
    qint64 number = 0; // `no`: serial number, strictly increasing between BLOBs
    QDate nextUpdate;
    QString legalHeader;
    QList<MetadataEntry> entries; // the ones with an AAGUID, in BLOB order
    int skippedEntries = 0;       // UAF and U2F entries
    QStringList warnings;         // what was dropped, and why
};

// `json` is the verified payload (see metadata_blob_verifier.h).
MetadataResult<MetadataBlob> parseMetadataPayload(QByteArrayView json);

// The latest of `reports`: the greatest effectiveDate; undated reports rank
// before dated ones, and among equals the later in the list wins.
const StatusReport *latestStatusReport(const QList<StatusReport> &reports);

// "0132d110-bf4e-4208-a403-ab4f5f12efe5": 8-4-4-4-12 hex digits, nothing else.
QUuid parseAaguidText(const QString &text);

} // namespace daarion::metadata
