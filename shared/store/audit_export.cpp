#include "shared/store/audit_export.h"

#include "shared/audit/merkle_tree.h"
#include "shared/store/audit_checkpoint_repository.h"

#include <algorithm>

namespace daarion::store
{

namespace
{
constexpr qint64 rowsPerGroup = 50'000;
}

StoreResult<qint64> exportChainedEvents(Database &database, qint64 afterNo, const QDateTime &since,
                                        const std::function<void(const ExportedEvent &)> &emitEvent)
{
    AuditCheckpointRepository repository(database);
    const qint64 sinceMicros = since.isValid() ? since.toMSecsSinceEpoch() * 1000 : 0;
    qint64 done = afterNo;
    for (;;) {
        auto group = repository.nextGroup(done, rowsPerGroup);
        if (!group)
            return group.error();
        if (group->isEmpty())
            return done;
        for (audit::Checkpoint checkpoint : *group) {
            auto rows = repository.rowsInRange(checkpoint.xidFrom, checkpoint.xidTo);
            if (!rows)
                return rows.error();
            const QList<audit::ManifestEntry> manifest =
                audit::decodeManifest(checkpoint.manifest).value_or(QList<audit::ManifestEntry>());
            const audit::MerkleTree tree(audit::manifestLeafHashes(manifest));
            checkpoint.manifest.clear();
            for (const audit::SealedRow &row : *rows) {
                if (since.isValid() && row.occurredAtMicros < sinceMicros)
                    continue;
                ExportedEvent event;
                event.row = row;
                event.checkpoint = checkpoint;
                const auto found = std::lower_bound(
                    manifest.cbegin(), manifest.cend(), row.id,
                    [](const audit::ManifestEntry &entry, qint64 id) { return entry.id < id; });
                if (found != manifest.cend() && found->id == row.id) {
                    event.leafIndex = found - manifest.cbegin();
                    event.auditPath = tree.auditPath(event.leafIndex);
                }
                emitEvent(event);
            }
            done = checkpoint.no;
        }
    }
}

StoreResult<qint64> exportStartingPoint(Database &database, const QDateTime &since)
{
    AuditCheckpointRepository repository(database);
    if (!since.isValid())
        return qint64(0);
    auto before = repository.checkpointBefore(since);
    if (!before)
        return before.error();
    if (*before)
        return **before;
    // No chained row is that recent: start after the newest checkpoint.
    auto latest = repository.latest();
    if (!latest)
        return latest.error();
    return *latest ? (*latest)->no : qint64(0);
}

} // namespace daarion::store
