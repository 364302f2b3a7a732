#pragma once
// Reads chained audit events for `daarion-authd audit export`: checkpoint
// by checkpoint, each row with the checkpoint that sealed it and its Merkle
// audit path, so a SIEM can check an event against one signed checkpoint.
// Following the chain, not row ids, is what makes an export exact: ids are
// taken before commit, so a row with a lower id can commit after a higher
// one, but a checkpoint never gains a row once written.

#include "shared/audit/audit_row.h"
#include "shared/audit/checkpoint.h"
#include "shared/store/store_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <functional>

namespace daarion::store
{

class Database;

struct ExportedEvent {
    audit::SealedRow row{};
    audit::Checkpoint checkpoint{}; // without its manifest
    qsizetype leafIndex = -1;       // the row's place in the manifest; -1: not in it (tampered)
    QList<QByteArray> auditPath{};  // RFC 6962 path from the row's leaf to checkpoint.rootHash
};

// Every row of the checkpoints after `afterNo` that occurred at or after
// `since` (invalid: all), checkpoint by checkpoint, in id order within one.
// Returns the number of the last checkpoint read (afterNo when none).
StoreResult<qint64>
exportChainedEvents(Database &database, qint64 afterNo, const QDateTime &since,
                    const std::function<void(const ExportedEvent &)> &emitEvent);

// Where an export of the events since `since` starts: the afterNo to pass.
StoreResult<qint64> exportStartingPoint(Database &database, const QDateTime &since);

} // namespace daarion::store
