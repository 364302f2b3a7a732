#pragma once
// audit_checkpoints: the chain over auth_events (migrations/006_audit_chain.sql,
// docs/AUDIT.md). makeCheckpoints() is the job every daarion-authd replica
// runs; one replica at a time holds the advisory lock, the others skip.
// Rows are chained once they are settled: their inserting transaction is
// below every transaction of this database still running at the job's
// snapshot, so no row can still appear below that horizon, however
// transactions commit (docs/AUDIT.md). The readers give verification
// and export the checkpoints and rows in the form the hashes are taken over.

#include "shared/audit/audit_row.h"
#include "shared/audit/checkpoint.h"
#include "shared/store/store_error.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace daarion::audit
{
class AuditSigningKey;
}

namespace daarion::store
{

class Database;

struct CheckpointPolicy {
    const audit::AuditSigningKey *signingKey = nullptr; // null: chained but unsigned
    int retentionDays = 0; // 0: keep every row; else delete rows of checkpoints older than this
    int maxRowsPerCheckpoint = 50'000;
    int maxCheckpointsPerRun = 20; // a replica catching up returns between batches
};

struct CheckpointRun {
    bool lockBusy = false;           // another replica is making checkpoints right now
    QList<audit::Checkpoint> made{}; // without manifests
    qint64 prunedRows = 0;
    std::optional<qint64> prunedThrough{}; // set when this run deleted rows by retention
    // Rows whose content no longer matched their seal when chained (edited before).
    QList<qint64> unmatchedRows{};
    bool caughtUp = true; // false: stopped at maxCheckpointsPerRun with settled rows left
};

class AuditCheckpointRepository
{
public:
    explicit AuditCheckpointRepository(Database &database) : m_database(database) {}

    // The pg_advisory_lock key the job holds while it makes checkpoints ("daaudit").
    static constexpr qint64 lockKey = 0x64616175646974;

    // Chains every settled row not chained yet into new checkpoints, signed
    // when the policy has a key, and applies retention (at most once a run).
    // created_at and the retention cutoff come from the database's clock.
    // Not inside a transaction of the caller: each checkpoint is its own.
    StoreResult<CheckpointRun> makeCheckpoints(const CheckpointPolicy &policy);

    StoreResult<std::optional<audit::Checkpoint>> latest(); // without manifest
    // Checkpoints numbered above `afterNo`, ascending, at most `limit`.
    StoreResult<QList<audit::Checkpoint>> checkpointsAfter(qint64 afterNo, int limit,
                                                           bool withManifests);
    // The checkpoints after `afterNo`, with manifests, as many as hold at
    // most `maxRows` rows together (but at least one): bounded reads.
    StoreResult<QList<audit::Checkpoint>> nextGroup(qint64 afterNo, qint64 maxRows);
    // Rows whose xid lies in [xidFrom, xidTo), in id order.
    StoreResult<QList<audit::SealedRow>> rowsInRange(quint64 xidFrom, quint64 xidTo);
    // Rows not chained: xid at or past `xidFrom`, or no xid at all; id above `afterId`, id order.
    StoreResult<QList<audit::SealedRow>> unchainedRows(quint64 xidFrom, qint64 afterId, int limit);
    // The highest checkpoint whose rows retention deleted (0: none).
    StoreResult<qint64> prunedThrough();
    // The checkpoint holding the first row that occurred at or after `since`
    // (minus one, so it can be passed as afterNo); nothing when none does.
    StoreResult<std::optional<qint64>> checkpointBefore(const QDateTime &since);

private:
    // Makes at most one checkpoint; true when settled rows remain beyond its cap.
    StoreResult<bool> makeOne(const CheckpointPolicy &policy, bool mayPrune, CheckpointRun &run,
                              int freshSnapshots = 0);

    Database &m_database;
};

} // namespace daarion::store
