#include "shared/store/metadata_repository.h"

#include "shared/metadata/authenticator_status.h"
#include "shared/store/database.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUuid>

namespace daarion::store
{

namespace
{

// pg_advisory_xact_lock key: imports run one at a time.
constexpr qint64 kImportLockKey = 0x6d64733300000001; // "mds3"…

// The five statuses, as the SQL list the statements compare with.
const QString kCompromising =
    QStringLiteral("('REVOKED', 'USER_VERIFICATION_BYPASS', 'ATTESTATION_KEY_COMPROMISE',"
                   " 'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE')");

QJsonValue dateOrNull(const QDate &date)
{
    return date.isValid() ? QJsonValue(date.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

// Every entry as one JSON array, inserted by one statement (jsonb_to_recordset)
// instead of a round trip per entry.
QString entriesJson(const QList<metadata::MetadataEntry> &entries)
{
    QJsonArray rows;
    for (const metadata::MetadataEntry &entry : entries) {
        QJsonArray roots;
        for (const QByteArray &der : entry.attestationRoots)
            roots.append(QString::fromLatin1(der.toBase64()));
        QJsonArray reports;
        for (const metadata::StatusReport &report : entry.statusReports)
            reports.append(
                QJsonObject{{QStringLiteral("status"), report.status},
                            {QStringLiteral("effective_date"), dateOrNull(report.effectiveDate)}});
        rows.append(QJsonObject{
            {QStringLiteral("aaguid"), QString::fromLatin1(entry.aaguid.toRfc4122().toHex())},
            {QStringLiteral("description"), entry.description},
            {QStringLiteral("icon"),
             entry.icon.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.icon)},
            {QStringLiteral("attestation_roots"), roots},
            {QStringLiteral("status"),
             entry.status.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.status)},
            {QStringLiteral("status_effective_date"), dateOrNull(entry.statusEffectiveDate)},
            {QStringLiteral("status_reports"), reports},
            {QStringLiteral("time_of_last_status_change"),
             dateOrNull(entry.timeOfLastStatusChange)}});
    }
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

QList<QByteArray> rootsFromJson(const QString &json)
{
    QList<QByteArray> roots;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &value : array)
        roots.append(QByteArray::fromBase64(value.toString().toLatin1()));
    return roots;
}

struct FlaggedPasskey {
    QUuid id;
    QUuid userId;
    QString username;
    QString credentialId;
    QByteArray aaguid;
    QString status;
    bool disabledNow = false;
};

// Gives the passkeys of every model whose latest status compromises it that
// status, where they do not carry it yet; disables them when asked.
StoreResult<QList<FlaggedPasskey>> flagPasskeys(Database &database, bool disable,
                                                const QDateTime &at)
{
    static const QString sql =
        QStringLiteral("WITH f AS (UPDATE passkeys p SET metadata_status = m.status,"
                       "   disabled_at = CASE WHEN ?::boolean THEN coalesce(p.disabled_at, "
                       "?::timestamptz) ELSE p.disabled_at END"
                       " FROM metadata_entries m"
                       " WHERE p.aaguid = m.aaguid AND m.status IN ") +
        kCompromising +
        QStringLiteral("   AND p.metadata_status IS DISTINCT FROM m.status"
                       " RETURNING p.id, p.user_id, p.credential_id, p.aaguid, p.metadata_status,"
                       "   (p.disabled_at = ?::timestamptz) AS disabled_now)"
                       " SELECT f.id, f.user_id, u.username, f.credential_id, f.aaguid, "
                       "f.metadata_status, f.disabled_now"
                       " FROM f JOIN users u ON u.id = f.user_id ORDER BY u.username, f.id");
    auto result = database.run(sql, {disable, at, at});
    if (!result)
        return result.error();
    QList<FlaggedPasskey> flagged;
    while ((*result)->next()) {
        const QSqlQuery &row = **result;
        flagged.append(FlaggedPasskey{uuidAt(row, 0), uuidAt(row, 1), textAt(row, 2),
                                      textAt(row, 3), bytesAt(row, 4), textAt(row, 5),
                                      disable && boolAt(row, 6)});
    }
    return flagged;
}

} // namespace

bool MetadataEntryRecord::compromised() const
{
    return metadata::isCompromisingStatusName(status);
}

StoreResult<MetadataImportOutcome> MetadataRepository::import(const metadata::MetadataBlob &blob,
                                                              const MetadataImportRequest &request)
{
    static const QString lock = QStringLiteral("SELECT pg_advisory_xact_lock(?::bigint)");
    static const QString current = QStringLiteral("SELECT blob_no FROM metadata_blob WHERE id = 1");
    static const QString clear = QStringLiteral("DELETE FROM metadata_entries");
    static const QString insert = QStringLiteral(
        "INSERT INTO metadata_entries (aaguid, description, icon, attestation_roots, status,"
        " status_effective_date, status_reports, time_of_last_status_change)"
        " SELECT decode(e.aaguid, 'hex'), e.description, e.icon, e.attestation_roots, e.status,"
        "  e.status_effective_date, e.status_reports, e.time_of_last_status_change"
        " FROM jsonb_to_recordset(?::jsonb) AS e(aaguid text, description text, icon text,"
        "  attestation_roots jsonb, status text, status_effective_date date, status_reports jsonb,"
        "  time_of_last_status_change date)");
    static const QString record =
        QStringLiteral("INSERT INTO metadata_blob (id, blob_no, next_update, legal_header, "
                       "entries, imported_at, imported_by)"
                       " VALUES (1, ?::bigint, ?::date, ?, ?::integer, ?::timestamptz, ?)"
                       " ON CONFLICT (id) DO UPDATE SET blob_no = excluded.blob_no, next_update = "
                       "excluded.next_update,"
                       "  legal_header = excluded.legal_header, entries = excluded.entries,"
                       "  imported_at = excluded.imported_at, imported_by = excluded.imported_by");
    // A model whose latest status no longer compromises it clears its
    // passkeys' flag (they stay disabled if they were: an operator decides).
    static const QString unflag =
        QStringLiteral("UPDATE passkeys p SET metadata_status = NULL FROM metadata_entries m"
                       " WHERE p.aaguid = m.aaguid AND p.metadata_status IS NOT NULL"
                       " AND (m.status IS NULL OR m.status NOT IN ") +
        kCompromising + QStringLiteral(")");

    const QDateTime at = request.at.isValid() ? request.at.toUTC() : m_database.now();
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    if (auto locked = m_database.run(lock, {kImportLockKey}); !locked)
        return locked.error();

    MetadataImportOutcome outcome;
    outcome.number = blob.number;
    outcome.entries = int(blob.entries.size());
    auto stored = m_database.run(current);
    if (!stored)
        return stored.error();
    if ((*stored)->next())
        outcome.previousNumber = integerAt(**stored, 0);
    if (outcome.previousNumber && blob.number <= *outcome.previousNumber && !request.force)
        return storeError(StoreErrorKind::Conflict,
                          QStringLiteral("the BLOB's no %1 is not above the imported %2")
                              .arg(blob.number)
                              .arg(*outcome.previousNumber));

    if (auto cleared = m_database.run(clear); !cleared)
        return cleared.error();
    if (auto inserted = m_database.run(insert, {entriesJson(blob.entries)}); !inserted)
        return inserted.error();
    if (auto recorded = m_database.run(
            record, {blob.number, blob.nextUpdate,
                     blob.legalHeader.isNull() ? QStringLiteral("") : blob.legalHeader,
                     int(blob.entries.size()), at, nullableText(request.context.actor)});
        !recorded)
        return recorded.error();

    const bool disable = request.action == config::MetadataAction::Disable;
    auto flagged = flagPasskeys(m_database, disable, at);
    if (!flagged)
        return flagged.error();
    auto unflagged = m_database.run(unflag);
    if (!unflagged)
        return unflagged.error();
    outcome.clearedPasskeys = (*unflagged)->numRowsAffected();

    QStringList disabledIds;
    for (const FlaggedPasskey &passkey : *flagged) {
        if (passkey.disabledNow)
            disabledIds.append(passkey.id.toString(QUuid::WithoutBraces));
    }
    QHash<QUuid, int> sessionsEnded; // per passkey, for its audit row
    if (!disabledIds.isEmpty()) {
        static const QString ended = QStringLiteral(
            "WITH s AS (UPDATE sessions SET revoked_at = ?::timestamptz, revoke_reason = "
            "'passkey_flagged'"
            " WHERE passkey_id = ANY (?::uuid[]) AND revoked_at IS NULL RETURNING passkey_id)"
            " SELECT passkey_id, count(*) FROM s GROUP BY passkey_id");
        auto result = m_database.run(ended, {at, textArrayLiteral(disabledIds)});
        if (!result)
            return result.error();
        while ((*result)->next()) {
            const int count = int(integerAt(**result, 1));
            sessionsEnded.insert(uuidAt(**result, 0), count);
            outcome.endedSessions += count;
        }
    }

    AuditRepository audit(m_database);
    for (const FlaggedPasskey &passkey : *flagged) {
        AuditEvent event;
        event.type = AuditEventType::PasskeyFlagged;
        event.from(request.context);
        event.userId = passkey.userId;
        event.username = passkey.username;
        event.passkeyId = passkey.id;
        event.credentialId = passkey.credentialId;
        event.details = {{QStringLiteral("metadata_status"), passkey.status},
                         {QStringLiteral("aaguid"),
                          QUuid::fromRfc4122(passkey.aaguid).toString(QUuid::WithoutBraces)},
                         {QStringLiteral("blob_no"), blob.number},
                         {QStringLiteral("disabled"), passkey.disabledNow},
                         {QStringLiteral("sessions_ended"), sessionsEnded.value(passkey.id)}};
        if (auto audited = audit.append(event); !audited)
            return audited.error();
        ++outcome.flaggedPasskeys;
        if (passkey.disabledNow)
            ++outcome.disabledPasskeys;
    }

    AuditEvent imported;
    imported.type = AuditEventType::MetadataImported;
    imported.from(request.context);
    imported.details = {{QStringLiteral("blob_no"), blob.number},
                        {QStringLiteral("previous_blob_no"),
                         outcome.previousNumber ? QVariant(*outcome.previousNumber) : QVariant()},
                        {QStringLiteral("forced"), request.force},
                        {QStringLiteral("next_update"), blob.nextUpdate.toString(Qt::ISODate)},
                        {QStringLiteral("entries"), outcome.entries},
                        {QStringLiteral("skipped_entries"), blob.skippedEntries},
                        {QStringLiteral("flagged_passkeys"), outcome.flaggedPasskeys},
                        {QStringLiteral("disabled_passkeys"), outcome.disabledPasskeys},
                        {QStringLiteral("cleared_passkeys"), outcome.clearedPasskeys},
                        {QStringLiteral("ended_sessions"), outcome.endedSessions}};
    if (auto audited = audit.append(imported); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return outcome;
}

StoreResult<std::optional<MetadataState>> MetadataRepository::state()
{
    static const QString sql = QStringLiteral("SELECT blob_no, next_update, entries, imported_at, "
                                              "imported_by FROM metadata_blob WHERE id = 1");
    auto result = m_database.run(sql);
    if (!result)
        return result.error();
    if (!(*result)->next())
        return std::optional<MetadataState>();
    const QSqlQuery &row = **result;
    MetadataState state;
    state.number = integerAt(row, 0);
    state.nextUpdate = row.value(1).toDate();
    state.entries = int(integerAt(row, 2));
    state.importedAt = timeAt(row, 3);
    state.importedBy = textAt(row, 4);
    return std::optional<MetadataState>(state);
}

StoreResult<std::optional<MetadataEntryRecord>>
MetadataRepository::findEntry(const QByteArray &aaguid)
{
    static const QString sql = QStringLiteral(
        "SELECT description, icon, attestation_roots::text, status, status_effective_date"
        " FROM metadata_entries WHERE aaguid = ?::bytea");
    if (aaguid.size() != 16)
        return std::optional<MetadataEntryRecord>();
    auto result = m_database.run(sql, {aaguid});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return std::optional<MetadataEntryRecord>();
    const QSqlQuery &row = **result;
    MetadataEntryRecord entry;
    entry.aaguid = aaguid;
    entry.description = textAt(row, 0);
    entry.icon = textAt(row, 1);
    entry.attestationRoots = rootsFromJson(textAt(row, 2));
    entry.status = textAt(row, 3);
    entry.statusEffectiveDate = row.value(4).toDate();
    return std::optional<MetadataEntryRecord>(entry);
}

StoreResult<QHash<QByteArray, MetadataEntryRecord>>
MetadataRepository::describe(const QList<QByteArray> &aaguids)
{
    static const QString sql =
        QStringLiteral("SELECT aaguid, description, icon, status FROM metadata_entries"
                       " WHERE aaguid = ANY (?::bytea[])");
    QHash<QByteArray, MetadataEntryRecord> entries;
    QStringList literals;
    for (const QByteArray &aaguid : aaguids) {
        if (aaguid.size() == 16)
            literals.append(QStringLiteral("\\x") + QString::fromLatin1(aaguid.toHex()));
    }
    if (literals.isEmpty())
        return entries;
    literals.removeDuplicates();
    auto result = m_database.run(sql, {textArrayLiteral(literals)});
    if (!result)
        return result.error();
    while ((*result)->next()) {
        const QSqlQuery &row = **result;
        MetadataEntryRecord entry;
        entry.aaguid = bytesAt(row, 0);
        entry.description = textAt(row, 1);
        entry.icon = textAt(row, 2);
        entry.status = textAt(row, 3);
        entries.insert(entry.aaguid, entry);
    }
    return entries;
}

StoreResult<QList<AuthenticatorModel>> MetadataRepository::authenticatorModels()
{
    static const QString sql = QStringLiteral(
        "SELECT c.aaguid, m.description, m.icon, m.status, c.passkeys, c.flagged, c.disabled"
        " FROM (SELECT aaguid, count(*) AS passkeys, count(metadata_status) AS flagged,"
        "         count(disabled_at) AS disabled FROM passkeys GROUP BY aaguid) c"
        " LEFT JOIN metadata_entries m ON m.aaguid = c.aaguid"
        " ORDER BY c.passkeys DESC, c.aaguid NULLS LAST");
    auto result = m_database.run(sql);
    if (!result)
        return result.error();
    QList<AuthenticatorModel> models;
    while ((*result)->next()) {
        const QSqlQuery &row = **result;
        models.append(AuthenticatorModel{bytesAt(row, 0), textAt(row, 1), textAt(row, 2),
                                         textAt(row, 3), int(integerAt(row, 4)),
                                         int(integerAt(row, 5)), int(integerAt(row, 6))});
    }
    return models;
}

} // namespace daarion::store
