#include "shared/store/audit_checkpoint_repository.h"

#include "shared/audit/signing_key.h"
#include "shared/store/database.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store
{

using audit::Checkpoint;
using audit::SealedRow;

namespace
{

// Distinct from the migrator's.
constexpr qint64 checkpointLockKey = AuditCheckpointRepository::lockKey;

// Retention deletes at most this many rows a run, so one run stays short.
constexpr qint64 maxPrunedRowsPerRun = 500'000;

const QString sealedColumns =
    QStringLiteral("e.id, e.xid::text, (extract(epoch FROM e.occurred_at) * 1000000)::bigint, "
                   "e.event, e.outcome, e.error_code,"
                   " e.user_id::text, e.username, e.passkey_id::text, e.credential_id, "
                   "e.session_id::text, e.client_ip,"
                   " e.user_agent, e.actor, e.details::text, e.row_hash");

const QString checkpointColumns =
    QStringLiteral("c.no, (extract(epoch FROM c.created_at) * 1000000)::bigint, c.xid_from::text, "
                   "c.xid_to::text, c.row_count,"
                   " c.first_id, c.last_id, c.root_hash, c.pruned_through, c.prev_hash, c.hash, "
                   "c.public_key, c.signature");

std::optional<QString> optionalTextAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? std::nullopt : std::optional<QString>(value.toString());
}

std::optional<qint64> optionalIntegerAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
}

quint64 xidAt(const QSqlQuery &query, int column)
{
    return query.value(column).toString().toULongLong();
}

SealedRow readSealedRow(const QSqlQuery &query)
{
    SealedRow row;
    row.id = query.value(0).toLongLong();
    if (!query.value(1).isNull())
        row.xid = xidAt(query, 1);
    row.occurredAtMicros = query.value(2).toLongLong();
    row.event = query.value(3).toString();
    row.outcome = query.value(4).toString();
    row.errorCode = optionalTextAt(query, 5);
    row.userId = optionalTextAt(query, 6);
    row.username = optionalTextAt(query, 7);
    row.passkeyId = optionalTextAt(query, 8);
    row.credentialId = optionalTextAt(query, 9);
    row.sessionId = optionalTextAt(query, 10);
    row.clientIp = optionalTextAt(query, 11);
    row.userAgent = optionalTextAt(query, 12);
    row.actor = optionalTextAt(query, 13);
    row.details = query.value(14).toString();
    row.storedHash = query.value(15).toByteArray();
    return row;
}

Checkpoint readCheckpoint(const QSqlQuery &query, bool withManifest)
{
    Checkpoint checkpoint;
    checkpoint.no = query.value(0).toLongLong();
    checkpoint.createdAtMicros = query.value(1).toLongLong();
    checkpoint.xidFrom = xidAt(query, 2);
    checkpoint.xidTo = xidAt(query, 3);
    checkpoint.rowCount = query.value(4).toLongLong();
    checkpoint.firstId = optionalIntegerAt(query, 5);
    checkpoint.lastId = optionalIntegerAt(query, 6);
    checkpoint.rootHash = query.value(7).toByteArray();
    checkpoint.prunedThrough = optionalIntegerAt(query, 8);
    checkpoint.prevHash = query.value(9).toByteArray();
    checkpoint.hash = query.value(10).toByteArray();
    checkpoint.publicKey = query.value(11).toByteArray();
    checkpoint.signature = query.value(12).toByteArray();
    if (withManifest)
        checkpoint.manifest = query.value(13).toByteArray();
    return checkpoint;
}

QString xidText(quint64 xid)
{
    return QString::number(xid);
}

QVariant nullableInteger(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qlonglong>());
}

// Releases the session-level advisory lock however the run ends.
class CheckpointLock
{
public:
    explicit CheckpointLock(Database &database) : m_database(database) {}
    ~CheckpointLock()
    {
        if (m_held)
            (void)m_database.run(QStringLiteral("SELECT pg_advisory_unlock(?::bigint)"),
                                 {checkpointLockKey});
    }
    StoreResult<bool> tryAcquire()
    {
        auto locked = m_database.run(QStringLiteral("SELECT pg_try_advisory_lock(?::bigint)"),
                                     {checkpointLockKey});
        if (!locked)
            return locked.error();
        m_held = (*locked)->next() && (*locked)->value(0).toBool();
        return m_held;
    }

private:
    Database &m_database;
    bool m_held = false;
};

} // namespace

StoreResult<CheckpointRun>
AuditCheckpointRepository::makeCheckpoints(const CheckpointPolicy &policy)
{
    CheckpointRun run;
    CheckpointLock lock(m_database);
    auto acquired = lock.tryAcquire();
    if (!acquired)
        return acquired.error();
    if (!*acquired) {
        run.lockBusy = true;
        return run;
    }
    run.caughtUp = false;
    for (int i = 0; i < qMax(1, policy.maxCheckpointsPerRun); ++i) {
        auto more = makeOne(policy, i == 0, run);
        if (!more)
            return more.error();
        if (!*more) {
            run.caughtUp = true;
            break;
        }
    }
    return run;
}

StoreResult<bool> AuditCheckpointRepository::makeOne(const CheckpointPolicy &policy, bool mayPrune,
                                                     CheckpointRun &run, int freshSnapshots)
{
    const QDateTime now = m_database.now();
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    // One snapshot for the horizon and the rows below it.
    if (auto isolated =
            m_database.runScript(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
        !isolated)
        return isolated.error();

    // The horizon: the oldest transaction that was running at this snapshot
    // and may belong to this database, or the snapshot's xmax when there is
    // none (every id below xmax has ended). Transaction ids are cluster-wide,
    // but a backend connected to another database cannot write here, and
    // pg_stat_activity says which database a running transaction's backend
    // serves. One that ended since the snapshot is no longer listed and
    // counts as ours: the horizon errs only low (rows wait, none is skipped).
    // pg_snapshot_xmin() alone would let a long transaction in any database
    // of the cluster hold every checkpoint back. This is the transaction's
    // first statement, so the snapshot and pg_stat_activity (read once per
    // transaction, at first use) are taken microseconds apart: a statement
    // before it widened the window in which another database's transaction
    // ends unseen and holds the horizon back.
    // The second column says whether the transaction that holds the horizon
    // has ended by now (pg_xact_status reads the present, not the snapshot).
    auto horizonQuery = m_database.run(QStringLiteral(
        "WITH snapshot AS (SELECT pg_current_snapshot() AS s),"
        " candidate AS (SELECT min(x) AS x FROM snapshot, pg_snapshot_xip(snapshot.s) AS x"
        "               WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = xid(x)"
        "                                 AND a.datname IS DISTINCT FROM current_database()))"
        " SELECT coalesce((SELECT x FROM candidate), (SELECT pg_snapshot_xmax(s) FROM snapshot))::text,"
        "        coalesce((SELECT pg_xact_status(x) <> 'in progress' FROM candidate), false)"));
    if (!horizonQuery)
        return horizonQuery.error();
    if (!(*horizonQuery)->next())
        return storeError(StoreErrorKind::Failed, QStringLiteral("no snapshot horizon"));
    const quint64 horizon = xidAt(**horizonQuery, 0);
    if ((*horizonQuery)->value(1).toBool() && freshSnapshots < 3) {
        // It ended unseen: in a fresh snapshot it no longer runs, and its rows,
        // if it wrote any here, are visible. Without this, a busy cluster's
        // short transactions elsewhere keep holding the horizon back.
        transaction.rollback();
        return makeOne(policy, mayPrune, run, freshSnapshots + 1);
    }
    auto previous = latest();
    if (!previous)
        return previous.error();
    const quint64 from = *previous ? (*previous)->xidTo : 0;

    // Up to the horizon, or short of it where the cap cuts, always between
    // two transactions: rows of one transaction stay in one checkpoint.
    quint64 upTo = qMax(from, horizon);
    bool capped = false;
    if (horizon > from) {
        auto cut = m_database.run(
            QStringLiteral(
                "SELECT xid::text FROM auth_events WHERE xid >= ?::xid8 AND xid < ?::xid8"
                " ORDER BY xid OFFSET ?::bigint LIMIT 1"),
            {xidText(from), xidText(horizon), qint64(policy.maxRowsPerCheckpoint)});
        if (!cut)
            return cut.error();
        if ((*cut)->next()) {
            capped = true;
            upTo = xidAt(**cut, 0);
            if (upTo == from) { // one transaction wrote more than the cap: take it whole
                auto next = m_database.run(QStringLiteral("SELECT min(xid)::text FROM auth_events"
                                                          " WHERE xid > ?::xid8 AND xid < ?::xid8"),
                                           {xidText(from), xidText(horizon)});
                if (!next)
                    return next.error();
                upTo = (*next)->next() && !(*next)->value(0).isNull() ? xidAt(**next, 0) : horizon;
            }
        }
    }

    auto rows = rowsInRange(from, upTo);
    if (!rows)
        return rows.error();

    std::optional<qint64> pruneThrough;
    if (mayPrune && policy.retentionDays > 0) {
        auto already = prunedThrough();
        if (!already)
            return already.error();
        auto old = m_database.run(
            QStringLiteral("SELECT no, row_count FROM audit_checkpoints"
                           " WHERE no > ?::bigint AND created_at < ? ORDER BY no LIMIT 1000"),
            {*already, now.addDays(-policy.retentionDays)});
        if (!old)
            return old.error();
        qint64 total = 0;
        while ((*old)->next()) {
            total += (*old)->value(1).toLongLong();
            if (pruneThrough && total > maxPrunedRowsPerRun)
                break;
            pruneThrough = (*old)->value(0).toLongLong();
        }
    }
    if (rows->isEmpty() && !pruneThrough)
        return false; // nothing settled since the last checkpoint

    Checkpoint draft;
    draft.no = *previous ? (*previous)->no + 1 : 1;
    draft.createdAtMicros = now.toMSecsSinceEpoch() * 1000; // created_at keeps milliseconds exactly
    draft.xidFrom = from;
    draft.xidTo = upTo;
    draft.prunedThrough = pruneThrough;
    draft.prevHash = *previous ? (*previous)->hash : audit::genesisHash();
    QList<audit::ManifestEntry> manifest;
    manifest.reserve(rows->size());
    for (const SealedRow &row : *rows) {
        // The seal as written on insert, never a recomputed one: a row edited
        // before this checkpoint stays visibly edited. (32 zero bytes for a
        // seal someone broke the column's constraint to mangle.)
        manifest.append(
            {row.id, row.storedHash.size() == 32 ? row.storedHash : QByteArray(32, '\0')});
        if (audit::rowContentHash(row) != row.storedHash)
            run.unmatchedRows.append(row.id);
    }
    Checkpoint checkpoint = audit::sealCheckpoint(draft, manifest, policy.signingKey);
    if (policy.signingKey && checkpoint.signature.isEmpty())
        return storeError(StoreErrorKind::Failed, QStringLiteral("signing the checkpoint failed"));

    auto inserted = m_database.run(
        QStringLiteral(
            "INSERT INTO audit_checkpoints (no, created_at, xid_from, xid_to, row_count, first_id, "
            "last_id,"
            " root_hash, manifest, pruned_through, prev_hash, hash, public_key, signature)"
            " VALUES (?::bigint, ?, ?::xid8, ?::xid8, ?::bigint, ?::bigint, ?::bigint, ?, ?, "
            "?::bigint, ?, ?,"
            " ?::bytea, ?::bytea)"),
        {checkpoint.no, QDateTime::fromMSecsSinceEpoch(checkpoint.createdAtMicros / 1000, Qt::UTC),
         xidText(checkpoint.xidFrom), xidText(checkpoint.xidTo), checkpoint.rowCount,
         nullableInteger(checkpoint.firstId), nullableInteger(checkpoint.lastId),
         checkpoint.rootHash, checkpoint.manifest, nullableInteger(checkpoint.prunedThrough),
         checkpoint.prevHash, checkpoint.hash,
         nullableBytes(checkpoint.publicKey.isEmpty() ? QByteArray() : checkpoint.publicKey),
         nullableBytes(checkpoint.signature.isEmpty() ? QByteArray() : checkpoint.signature)});
    if (!inserted)
        return inserted.error();

    if (pruneThrough) {
        // The guard trigger lets exactly these rows go: below the horizon of
        // the checkpoint this transaction just recorded as pruned.
        auto deleted =
            m_database.run(QStringLiteral("DELETE FROM auth_events WHERE xid < (SELECT xid_to FROM"
                                          " audit_checkpoints WHERE no = ?::bigint)"),
                           {*pruneThrough});
        if (!deleted)
            return deleted.error();
        run.prunedRows += (*deleted)->numRowsAffected();
        run.prunedThrough = pruneThrough;
    }
    if (auto committed = transaction.commit(); !committed)
        return committed.error();

    checkpoint.manifest.clear();
    run.made.append(checkpoint);
    return capped; // more settled rows wait beyond the cap
}

StoreResult<std::optional<Checkpoint>> AuditCheckpointRepository::latest()
{
    auto result =
        m_database.run(QStringLiteral("SELECT ") + checkpointColumns +
                       QStringLiteral(" FROM audit_checkpoints c ORDER BY c.no DESC LIMIT 1"));
    if (!result)
        return result.error();
    if (!(*result)->next())
        return std::optional<Checkpoint>();
    return std::optional<Checkpoint>(readCheckpoint(**result, false));
}

StoreResult<QList<Checkpoint>>
AuditCheckpointRepository::checkpointsAfter(qint64 afterNo, int limit, bool withManifests)
{
    static const QString plain =
        QStringLiteral("SELECT ") + checkpointColumns +
        QStringLiteral(" FROM audit_checkpoints c WHERE c.no > ?::bigint ORDER BY c.no"
                       " LIMIT ?::integer");
    static const QString withManifest =
        QStringLiteral("SELECT ") + checkpointColumns +
        QStringLiteral(", c.manifest FROM audit_checkpoints c WHERE c.no > ?::bigint"
                       " ORDER BY c.no LIMIT ?::integer");
    auto result =
        m_database.run(withManifests ? withManifest : plain, {afterNo, qBound(1, limit, 10'000)});
    if (!result)
        return result.error();
    QList<Checkpoint> checkpoints;
    while ((*result)->next())
        checkpoints.append(readCheckpoint(**result, withManifests));
    return checkpoints;
}

StoreResult<QList<Checkpoint>> AuditCheckpointRepository::nextGroup(qint64 afterNo, qint64 maxRows)
{
    auto page = checkpointsAfter(afterNo, 256, false);
    if (!page)
        return page.error();
    if (page->isEmpty())
        return QList<Checkpoint>();
    qsizetype count = 0;
    qint64 rows = 0;
    while (count < page->size() && (count == 0 || rows + page->at(count).rowCount <= maxRows))
        rows += page->at(count++).rowCount;
    return checkpointsAfter(afterNo, int(count), true);
}

StoreResult<QList<SealedRow>> AuditCheckpointRepository::rowsInRange(quint64 xidFrom, quint64 xidTo)
{
    QList<SealedRow> rows;
    if (xidTo <= xidFrom)
        return rows;
    auto result = m_database.run(
        QStringLiteral("SELECT ") + sealedColumns +
            QStringLiteral(" FROM auth_events e WHERE e.xid >= ?::xid8 AND e.xid < ?::xid8"
                           " ORDER BY e.id"),
        {xidText(xidFrom), xidText(xidTo)});
    if (!result)
        return result.error();
    while ((*result)->next())
        rows.append(readSealedRow(**result));
    return rows;
}

StoreResult<QList<SealedRow>> AuditCheckpointRepository::unchainedRows(quint64 xidFrom,
                                                                       qint64 afterId, int limit)
{
    auto result = m_database.run(
        QStringLiteral("SELECT ") + sealedColumns +
            QStringLiteral(" FROM auth_events e WHERE (e.xid >= ?::xid8 OR e.xid IS NULL)"
                           " AND e.id > ?::bigint ORDER BY e.id LIMIT ?::integer"),
        {xidText(xidFrom), afterId, qBound(1, limit, 100'000)});
    if (!result)
        return result.error();
    QList<SealedRow> rows;
    while ((*result)->next())
        rows.append(readSealedRow(**result));
    return rows;
}

StoreResult<qint64> AuditCheckpointRepository::prunedThrough()
{
    auto result = m_database.run(
        QStringLiteral("SELECT coalesce(max(pruned_through), 0) FROM audit_checkpoints"));
    if (!result)
        return result.error();
    return (*result)->next() ? (*result)->value(0).toLongLong() : 0;
}

StoreResult<std::optional<qint64>>
AuditCheckpointRepository::checkpointBefore(const QDateTime &since)
{
    auto result = m_database.run(
        QStringLiteral("SELECT c.no - 1 FROM audit_checkpoints c"
                       " WHERE c.xid_to > (SELECT min(xid) FROM auth_events WHERE occurred_at >= ?)"
                       " ORDER BY c.no LIMIT 1"),
        {since.toUTC()});
    if (!result)
        return result.error();
    if (!(*result)->next())
        return std::optional<qint64>();
    return std::optional<qint64>((*result)->value(0).toLongLong());
}

} // namespace daarion::store
