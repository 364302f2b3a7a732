#pragma once
// What `audit verify` can find wrong with the trail: one closed set, each
// kind with a stable machine name (the JSON "problem" member) in one table.

#include <QString>

namespace daarion::audit
{

enum class ChainProblemKind {
    RowEdited,   // a row's content no longer matches the hash its checkpoint recorded
    RowDeleted,  // a row a checkpoint recorded is gone (and no retention checkpoint pruned it)
    RowInserted, // a row sits in a checkpoint's range but the checkpoint never recorded it
    RowMoved,    // a row holds the content another id had when it was chained (reordered)
    RowUnsealed, // a row without transaction id or hash: written around the insert trigger
    CheckpointAltered, // a checkpoint's fields no longer give its hash
    CheckpointMissing, // checkpoint numbers jump: some were deleted
    LinkBroken,        // prev_hash is not the previous checkpoint's hash
    RangeBroken,       // xid_from is not where the previous checkpoint ended
    ManifestAltered,   // the row list does not give the recorded root, count or id range
    SignatureInvalid,  // the signature does not verify
    SignatureMissing,  // unsigned where a signature is required (a key is pinned, or earlier ones
                       // were signed)
    UnknownSigner,     // signed by a key that is not one of the pinned ones
};

// "row_edited", "checkpoint_missing", …
QString chainProblemName(ChainProblemKind kind);

struct ChainProblem {
    ChainProblemKind kind = ChainProblemKind::RowEdited;
    qint64 checkpoint = 0; // the checkpoint concerned; 0 for rows not yet chained
    qint64 rowId = 0;      // the row concerned; 0 when about a checkpoint
    qint64 otherRowId = 0; // RowMoved: the id whose content the row holds
    QString message;       // one sentence for people
};

} // namespace daarion::audit
