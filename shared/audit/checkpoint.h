#pragma once
// One link of the audit chain (a row of audit_checkpoints) and the bytes it
// is hashed and signed over. Checkpoint N covers the rows whose inserting
// transaction id lies in [xidFrom, xidTo); its manifest lists each row's id
// and stored hash in id order, rootHash is the RFC 6962 Merkle tree hash of
// that list, and hash covers everything including the previous hash, so
// changing any row or any earlier checkpoint breaks every later link.

#include <QByteArray>
#include <QList>

#include <optional>

namespace daarion::audit
{

class AuditSigningKey;

struct ManifestEntry {
    qint64 id = 0;
    QByteArray rowHash{}; // 32 bytes
};

// 40 bytes per row: id (8 bytes, big-endian) then its hash.
QByteArray encodeManifest(const QList<ManifestEntry> &entries);
// Nothing when the bytes are not whole entries or ids are not increasing.
std::optional<QList<ManifestEntry>> decodeManifest(const QByteArray &bytes);
// The Merkle leaf of one row: the same 40 bytes.
QByteArray manifestLeaf(const ManifestEntry &entry);
QList<QByteArray> manifestLeafHashes(const QList<ManifestEntry> &entries);
QByteArray manifestRoot(const QList<ManifestEntry> &entries);

// The previous hash of checkpoint 1.
QByteArray genesisHash(); // 32 zero bytes

struct Checkpoint {
    qint64 no = 0;              // 1, 2, 3 … without gaps
    qint64 createdAtMicros = 0; // since the Unix epoch (the clock of the replica that made it)
    quint64 xidFrom = 0;        // the previous checkpoint's xidTo (0 for the first)
    quint64 xidTo = 0;          // every row below is settled
    qint64 rowCount = 0;
    std::optional<qint64> firstId{}; // lowest and highest row id covered; none when empty
    std::optional<qint64> lastId{};
    QByteArray rootHash{};
    std::optional<qint64>
        prunedThrough{}; // retention deleted the rows of checkpoints 1..N with this one
    QByteArray prevHash{};
    QByteArray hash{};      // SHA-256 of checkpointEncoding()
    QByteArray publicKey{}; // raw Ed25519 key of the signer; empty: unsigned
    QByteArray signature{}; // Ed25519 over hash; empty: unsigned
    QByteArray manifest{};  // encodeManifest(); may be left empty when not needed

    bool isSigned() const { return !signature.isEmpty(); }
};

// "daarion.audit.checkpoint.v1" then no, created_at (µs), xid_from, xid_to,
// row_count, first_id, last_id, root_hash (hex), pruned_through, prev_hash
// (hex), in the netstrings of canonical_encoding.h.
QByteArray checkpointEncoding(const Checkpoint &checkpoint);
QByteArray checkpointHash(const Checkpoint &checkpoint);

// Completes a checkpoint whose no, createdAtMicros, xidFrom, xidTo,
// prunedThrough and prevHash are set: row count, id range, manifest and
// root from `entries` (in id order), then its hash, then the signature when
// a key is given (empty signature: signing failed).
Checkpoint sealCheckpoint(Checkpoint draft, const QList<ManifestEntry> &entries,
                          const AuditSigningKey *key);

} // namespace daarion::audit
