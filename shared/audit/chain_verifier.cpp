#include "shared/audit/chain_verifier.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace daarion::audit
{

namespace
{

// Looking for moved rows compares every changed row with every changed or
// missing id of one checkpoint: bounded so a mass edit stays linear.
constexpr qsizetype maxMoveCandidates = 256;

QString isoTime(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

QString ChainReport::summary() const
{
    if (intact()) {
        if (!last)
            return rowsPending > 0 ? QStringLiteral("intact; no checkpoint yet (%1 rows waiting)")
                                         .arg(rowsPending)
                                   : QStringLiteral("intact; no checkpoint yet");
        QString text = QStringLiteral("intact up to checkpoint %1 at %2")
                           .arg(last->no)
                           .arg(isoTime(last->createdAtMicros));
        if (unsignedCheckpoints > 0)
            text +=
                signedCheckpoints > 0
                    ? QStringLiteral(" (%1 early checkpoints unsigned)").arg(unsignedCheckpoints)
                    : QStringLiteral(" (unsigned)");
        return text;
    }
    QString text =
        QStringLiteral("broken: ") + (problems.isEmpty() ? QString() : problems.first().message);
    if (problemCount > 1)
        text += QStringLiteral(" (and %1 more problems)").arg(problemCount - 1);
    return text;
}

ChainVerifier::ChainVerifier(VerifyPolicy policy, qint64 prunedThrough)
    : m_policy(std::move(policy))
{
    m_report.prunedThrough = prunedThrough;
    m_report.keysPinned = !m_policy.trustedKeys.isEmpty();
}

void ChainVerifier::report(ChainProblemKind kind, qint64 checkpoint, qint64 rowId,
                           const QString &message, qint64 otherRowId)
{
    ++m_report.problemCount;
    if (checkpoint > 0 && (m_firstBrokenCheckpoint == 0 || checkpoint < m_firstBrokenCheckpoint))
        m_firstBrokenCheckpoint = checkpoint;
    if (m_report.problems.size() < m_policy.maxProblems)
        m_report.problems.append(ChainProblem{kind, checkpoint, rowId, otherRowId, message});
}

void ChainVerifier::checkLink(const Checkpoint &checkpoint)
{
    const qint64 expectedNo = m_previous ? m_previous->no + 1 : 1;
    if (checkpoint.no != expectedNo) {
        report(ChainProblemKind::CheckpointMissing, checkpoint.no, 0,
               expectedNo + 1 == checkpoint.no
                   ? QStringLiteral("checkpoint %1 is missing").arg(expectedNo)
                   : QStringLiteral("checkpoints %1 to %2 are missing")
                         .arg(expectedNo)
                         .arg(checkpoint.no - 1));
        return; // the link and range cannot match either: one problem, not three
    }
    const QByteArray expectedPrevious = m_previous ? m_previous->hash : genesisHash();
    if (checkpoint.prevHash != expectedPrevious)
        report(ChainProblemKind::LinkBroken, checkpoint.no, 0,
               m_previous ? QStringLiteral("checkpoint %1 does not link to checkpoint %2")
                                .arg(checkpoint.no)
                                .arg(m_previous->no)
                          : QStringLiteral("checkpoint 1 does not start the chain"));
    const quint64 expectedFrom = m_previous ? m_previous->xidTo : 0;
    if (checkpoint.xidFrom != expectedFrom)
        report(ChainProblemKind::RangeBroken, checkpoint.no, 0,
               QStringLiteral("checkpoint %1 does not start where checkpoint %2 ended")
                   .arg(checkpoint.no)
                   .arg(checkpoint.no - 1));
}

void ChainVerifier::checkSignature(const Checkpoint &checkpoint, bool hashMatches)
{
    // Signatures are checked over the hash of the fields as they are now, so
    // a signature never vouches for altered fields.
    const QByteArray signedHash = checkpointHash(checkpoint);
    if (!checkpoint.isSigned()) {
        ++m_report.unsignedCheckpoints;
        if (m_report.keysPinned)
            report(ChainProblemKind::SignatureMissing, checkpoint.no, 0,
                   QStringLiteral("checkpoint %1 is not signed").arg(checkpoint.no));
        else if (m_seenSigned)
            report(ChainProblemKind::SignatureMissing, checkpoint.no, 0,
                   QStringLiteral("checkpoint %1 is not signed although earlier ones are")
                       .arg(checkpoint.no));
        return;
    }
    ++m_report.signedCheckpoints;
    m_seenSigned = true;
    if (m_report.keysPinned) {
        for (const AuditPublicKey &key : std::as_const(m_policy.trustedKeys)) {
            if (key.verify(signedHash, checkpoint.signature)) {
                if (!m_report.signers.contains(key.fingerprint()))
                    m_report.signers.append(key.fingerprint());
                return;
            }
        }
        const bool namesPinnedKey = std::any_of(
            m_policy.trustedKeys.cbegin(), m_policy.trustedKeys.cend(),
            [&](const AuditPublicKey &key) { return key.raw() == checkpoint.publicKey; });
        if (!hashMatches)
            return; // already reported as altered
        if (namesPinnedKey)
            report(ChainProblemKind::SignatureInvalid, checkpoint.no, 0,
                   QStringLiteral("checkpoint %1's signature does not verify").arg(checkpoint.no));
        else
            report(ChainProblemKind::UnknownSigner, checkpoint.no, 0,
                   QStringLiteral("checkpoint %1 is signed by a key that is not trusted")
                       .arg(checkpoint.no));
        return;
    }
    const auto key = AuditPublicKey::fromRaw(checkpoint.publicKey);
    if (key && !m_report.signers.contains(key->fingerprint()))
        m_report.signers.append(key->fingerprint());
    if ((!key || !key->verify(signedHash, checkpoint.signature)) && hashMatches)
        report(ChainProblemKind::SignatureInvalid, checkpoint.no, 0,
               QStringLiteral("checkpoint %1's signature does not verify").arg(checkpoint.no));
}

void ChainVerifier::checkRows(const Checkpoint &checkpoint, const QList<ManifestEntry> &manifest,
                              const QList<SealedRow> &rows)
{
    QHash<qint64, QByteArray> recorded;
    recorded.reserve(manifest.size());
    for (const ManifestEntry &entry : manifest)
        recorded.insert(entry.id, entry.rowHash);

    QSet<qint64> present;
    QList<const SealedRow *> changed;  // in the manifest, different now
    QList<const SealedRow *> inserted; // not in the manifest
    for (const SealedRow &row : rows) {
        present.insert(row.id);
        const auto expected = recorded.constFind(row.id);
        if (expected == recorded.cend()) {
            inserted.append(&row);
            continue;
        }
        if (rowContentHash(row) == *expected && row.storedHash == *expected)
            ++m_report.rowsChecked;
        else
            changed.append(&row);
    }
    const bool pruned = checkpoint.no <= m_report.prunedThrough;
    QList<qint64> missing;
    for (const ManifestEntry &entry : manifest) {
        if (!present.contains(entry.id) && !pruned)
            missing.append(entry.id);
    }

    // A changed or inserted row whose content is exactly what another
    // changed or missing id held: rows were reordered, not rewritten.
    QHash<qint64, qint64> holds; // row id → the id whose content it holds
    QSet<qint64> accountedFor;   // missing ids found elsewhere
    if (changed.size() + inserted.size() <= maxMoveCandidates &&
        changed.size() + missing.size() <= maxMoveCandidates) {
        QList<qint64> targets = missing;
        for (const SealedRow *row : std::as_const(changed))
            targets.append(row->id);
        for (const QList<const SealedRow *> *candidates : {&changed, &inserted}) {
            for (const SealedRow *row : *candidates) {
                for (qint64 target : std::as_const(targets)) {
                    if (target != row->id &&
                        rowContentHashAt(*row, target) == recorded.value(target)) {
                        holds.insert(row->id, target);
                        accountedFor.insert(target);
                        break;
                    }
                }
            }
        }
    }

    // A row holding the content another chained row had was moved, not
    // edited or inserted.
    const auto reportedAsMoved = [&](const SealedRow *row) {
        const auto other = holds.constFind(row->id);
        if (other == holds.cend())
            return false;
        report(ChainProblemKind::RowMoved, checkpoint.no, row->id,
               QStringLiteral("row %1 holds the content row %2 had in checkpoint %3 (rows reordered)")
                   .arg(row->id)
                   .arg(*other)
                   .arg(checkpoint.no),
               *other);
        return true;
    };
    for (const SealedRow *row : std::as_const(changed)) {
        if (!reportedAsMoved(row))
            report(ChainProblemKind::RowEdited, checkpoint.no, row->id,
                   QStringLiteral("row %1 was edited after checkpoint %2 sealed it")
                       .arg(row->id)
                       .arg(checkpoint.no));
    }
    for (const SealedRow *row : std::as_const(inserted)) {
        if (!reportedAsMoved(row))
            report(
                ChainProblemKind::RowInserted, checkpoint.no, row->id,
                QStringLiteral(
                    "row %1 was inserted into the range of checkpoint %2, which never recorded it")
                    .arg(row->id)
                    .arg(checkpoint.no));
    }
    for (qint64 id : std::as_const(missing)) {
        if (!accountedFor.contains(id))
            report(
                ChainProblemKind::RowDeleted, checkpoint.no, id,
                QStringLiteral("row %1 of checkpoint %2 was deleted").arg(id).arg(checkpoint.no));
    }
}

void ChainVerifier::addCheckpoint(const Checkpoint &checkpoint, const QList<SealedRow> &rows)
{
    ++m_report.checkpoints;
    checkLink(checkpoint);
    const bool hashMatches = checkpointHash(checkpoint) == checkpoint.hash;
    if (!hashMatches)
        report(ChainProblemKind::CheckpointAltered, checkpoint.no, 0,
               QStringLiteral("checkpoint %1 was altered: its fields do not give its hash")
                   .arg(checkpoint.no));
    checkSignature(checkpoint, hashMatches);

    const auto manifest = decodeManifest(checkpoint.manifest);
    const bool manifestMatches =
        manifest && manifest->size() == checkpoint.rowCount &&
        manifestRoot(*manifest) == checkpoint.rootHash &&
        (manifest->isEmpty() ? !checkpoint.firstId && !checkpoint.lastId
                             : checkpoint.firstId == manifest->first().id &&
                                   checkpoint.lastId == manifest->last().id);
    if (!manifestMatches)
        report(ChainProblemKind::ManifestAltered, checkpoint.no, 0,
               QStringLiteral("checkpoint %1's row list does not match its root hash")
                   .arg(checkpoint.no));
    if (manifest)
        checkRows(checkpoint, *manifest, rows);

    Checkpoint kept = checkpoint;
    kept.manifest.clear();
    m_previous = kept;
    m_report.last = kept;
}

void ChainVerifier::addUnchained(const QList<SealedRow> &rows)
{
    for (const SealedRow &row : rows) {
        if (!row.xid || row.storedHash.isEmpty()) {
            report(ChainProblemKind::RowUnsealed, 0, row.id,
                   QStringLiteral("row %1 has no seal: it was written around the insert trigger")
                       .arg(row.id));
            continue;
        }
        if (rowContentHash(row) != row.storedHash) {
            report(ChainProblemKind::RowEdited, 0, row.id,
                   QStringLiteral("row %1 was edited before it was chained").arg(row.id));
            continue;
        }
        ++m_report.rowsPending;
        if (!m_report.oldestPendingMicros || row.occurredAtMicros < *m_report.oldestPendingMicros)
            m_report.oldestPendingMicros = row.occurredAtMicros;
    }
}

ChainReport ChainVerifier::finish()
{
    if (m_report.last)
        m_report.intactThrough =
            m_firstBrokenCheckpoint > 0 ? m_firstBrokenCheckpoint - 1 : m_report.last->no;
    return m_report;
}

} // namespace daarion::audit
