#include "shared/store/audit_chain_check.h"

#include "shared/store/audit_checkpoint_repository.h"
#include "shared/store/database.h"
#include "shared/store/transaction.h"

#include <algorithm>

namespace daarion::store
{

namespace
{

constexpr qint64 rowsPerGroup = 50'000;
constexpr int unchainedPage = 10'000;

} // namespace

StoreResult<audit::ChainReport> verifyAuditChain(Database &database,
                                                 const audit::VerifyPolicy &policy)
{
    // One snapshot for the whole walk: retention or a new checkpoint
    // committing meanwhile cannot make rows look deleted or unchained. Read
    // only, it takes no transaction id and holds back no checkpoint.
    Transaction transaction(database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    if (auto isolated = database.runScript(
            QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
        !isolated)
        return isolated.error();

    AuditCheckpointRepository repository(database);
    auto pruned = repository.prunedThrough();
    if (!pruned)
        return pruned.error();
    audit::ChainVerifier verifier(policy, *pruned);

    // Each checkpoint gets the rows from where the chain so far ended up to
    // its own xidTo, so a row in a gap left by a deleted or forged
    // checkpoint is still looked at (and found in no manifest).
    quint64 boundary = 0;
    qint64 afterNo = 0;
    for (;;) {
        auto group = repository.nextGroup(afterNo, rowsPerGroup);
        if (!group)
            return group.error();
        if (group->isEmpty())
            break;
        quint64 groupEnd = boundary;
        for (const audit::Checkpoint &checkpoint : *group)
            groupEnd = qMax(groupEnd, checkpoint.xidTo);
        auto groupRows = repository.rowsInRange(boundary, groupEnd);
        if (!groupRows)
            return groupRows.error();
        // Rows come in id order, not xid order: each goes to the checkpoint whose range holds it.
        QList<QList<audit::SealedRow>> byCheckpoint(group->size());
        QList<quint64> ends;
        quint64 running = boundary;
        for (const audit::Checkpoint &checkpoint : *group) {
            running = qMax(running, checkpoint.xidTo);
            ends.append(running);
        }
        for (const audit::SealedRow &row : *groupRows) {
            const quint64 xid = row.xid.value_or(0);
            const auto slot = std::upper_bound(ends.cbegin(), ends.cend(), xid) - ends.cbegin();
            if (slot < byCheckpoint.size())
                byCheckpoint[slot].append(row);
        }
        for (qsizetype i = 0; i < group->size(); ++i)
            verifier.addCheckpoint(group->at(i), byCheckpoint.at(i));
        boundary = groupEnd;
        afterNo = group->last().no;
    }

    qint64 afterId = 0;
    for (;;) {
        auto rows = repository.unchainedRows(boundary, afterId, unchainedPage);
        if (!rows)
            return rows.error();
        if (rows->isEmpty())
            break;
        verifier.addUnchained(*rows);
        afterId = rows->last().id;
    }
    return verifier.finish();
}

} // namespace daarion::store
