#pragma once
// Walks the audit chain: every checkpoint's link, range, hash, signature and
// row list, and every row against the hash its checkpoint recorded. Pure:
// the store feeds it checkpoints in order with the rows of each range
// (store/audit_chain_check.h), so the same code runs in the CLI, the
// console and the tests, and it trusts nothing the database computed.

#include "shared/audit/audit_row.h"
#include "shared/audit/chain_problem.h"
#include "shared/audit/checkpoint.h"
#include "shared/audit/signing_key.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace daarion::audit
{

struct VerifyPolicy {
    // Pinned keys: when any is given, every checkpoint must be signed by one.
    // Otherwise signatures are checked against the key each checkpoint names,
    // and an unsigned checkpoint after a signed one is a problem.
    QList<AuditPublicKey> trustedKeys{};
    int maxProblems = 1000; // listed; all are counted
};

struct ChainReport {
    qint64 checkpoints = 0;
    std::optional<Checkpoint> last{}; // without its manifest
    qint64 intactThrough = 0;         // checkpoints 1..N and their rows are intact
    qint64 rowsChecked = 0;           // rows matched against a checkpoint
    qint64 rowsPending = 0;           // sealed, not chained yet
    std::optional<qint64> oldestPendingMicros{};
    qint64 prunedThrough = 0; // rows of checkpoints 1..N were deleted by retention
    qint64 signedCheckpoints = 0;
    qint64 unsignedCheckpoints = 0;
    QStringList signers{}; // fingerprints of the keys that signed
    bool keysPinned = false;
    QList<ChainProblem> problems{}; // the first VerifyPolicy::maxProblems
    qint64 problemCount = 0;

    bool intact() const { return problemCount == 0; }
    // "intact up to checkpoint 12 at 2026-…Z" or "broken: row 17 was edited… (and 2 more
    // problems)".
    QString summary() const;
};

class ChainVerifier
{
public:
    ChainVerifier(VerifyPolicy policy, qint64 prunedThrough);

    // Checkpoints in ascending number, each with its manifest and the rows
    // whose xid lies from the previous checkpoint's xidTo up to its own.
    void addCheckpoint(const Checkpoint &checkpoint, const QList<SealedRow> &rows);
    // Rows at or past the last checkpoint's xidTo, and rows without a seal.
    void addUnchained(const QList<SealedRow> &rows);
    ChainReport finish();

private:
    void report(ChainProblemKind kind, qint64 checkpoint, qint64 rowId, const QString &message,
                qint64 otherRowId = 0);
    void checkLink(const Checkpoint &checkpoint);
    void checkSignature(const Checkpoint &checkpoint, bool hashMatches);
    void checkRows(const Checkpoint &checkpoint, const QList<ManifestEntry> &manifest,
                   const QList<SealedRow> &rows);

    VerifyPolicy m_policy;
    ChainReport m_report;
    std::optional<Checkpoint> m_previous{};
    bool m_seenSigned = false;
    qint64 m_firstBrokenCheckpoint = 0;
};

} // namespace daarion::audit
