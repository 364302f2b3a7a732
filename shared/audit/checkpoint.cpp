#include "shared/audit/checkpoint.h"

#include "shared/audit/canonical_encoding.h"
#include "shared/audit/merkle_tree.h"
#include "shared/audit/signing_key.h"

#include <QtEndian>

namespace daarion::audit
{

namespace
{
constexpr qsizetype entrySize = 8 + 32;
}

QByteArray manifestLeaf(const ManifestEntry &entry)
{
    QByteArray leaf(8, Qt::Uninitialized);
    qToBigEndian(entry.id, leaf.data());
    return leaf + entry.rowHash;
}

QByteArray encodeManifest(const QList<ManifestEntry> &entries)
{
    QByteArray bytes;
    bytes.reserve(entries.size() * entrySize);
    for (const ManifestEntry &entry : entries)
        bytes += manifestLeaf(entry);
    return bytes;
}

std::optional<QList<ManifestEntry>> decodeManifest(const QByteArray &bytes)
{
    if (bytes.size() % entrySize != 0)
        return std::nullopt;
    QList<ManifestEntry> entries;
    entries.reserve(bytes.size() / entrySize);
    for (qsizetype offset = 0; offset < bytes.size(); offset += entrySize) {
        ManifestEntry entry;
        entry.id = qFromBigEndian<qint64>(bytes.constData() + offset);
        entry.rowHash = bytes.mid(offset + 8, 32);
        if (!entries.isEmpty() && entry.id <= entries.last().id)
            return std::nullopt;
        entries.append(std::move(entry));
    }
    return entries;
}

QList<QByteArray> manifestLeafHashes(const QList<ManifestEntry> &entries)
{
    QList<QByteArray> hashes;
    hashes.reserve(entries.size());
    for (const ManifestEntry &entry : entries)
        hashes.append(MerkleTree::leafHash(manifestLeaf(entry)));
    return hashes;
}

QByteArray manifestRoot(const QList<ManifestEntry> &entries)
{
    return MerkleTree(manifestLeafHashes(entries)).root();
}

QByteArray genesisHash()
{
    return QByteArray(32, '\0');
}

namespace
{

CanonicalEncoding encode(const Checkpoint &checkpoint)
{
    CanonicalEncoding encoding("daarion.audit.checkpoint.v1");
    encoding.integer(checkpoint.no)
        .integer(checkpoint.createdAtMicros)
        .unsignedInteger(checkpoint.xidFrom)
        .unsignedInteger(checkpoint.xidTo)
        .integer(checkpoint.rowCount)
        .optionalInteger(checkpoint.firstId)
        .optionalInteger(checkpoint.lastId)
        .hex(checkpoint.rootHash)
        .optionalInteger(checkpoint.prunedThrough)
        .hex(checkpoint.prevHash);
    return encoding;
}

} // namespace

QByteArray checkpointEncoding(const Checkpoint &checkpoint)
{
    return encode(checkpoint).encoded();
}

QByteArray checkpointHash(const Checkpoint &checkpoint)
{
    return encode(checkpoint).sha256();
}

Checkpoint sealCheckpoint(Checkpoint draft, const QList<ManifestEntry> &entries,
                          const AuditSigningKey *key)
{
    draft.rowCount = entries.size();
    draft.firstId = entries.isEmpty() ? std::nullopt : std::optional<qint64>(entries.first().id);
    draft.lastId = entries.isEmpty() ? std::nullopt : std::optional<qint64>(entries.last().id);
    draft.manifest = encodeManifest(entries);
    draft.rootHash = manifestRoot(entries);
    draft.hash = checkpointHash(draft);
    draft.publicKey.clear();
    draft.signature.clear();
    if (key) {
        draft.publicKey = key->publicKey().raw();
        draft.signature = key->sign(draft.hash);
    }
    return draft;
}

} // namespace daarion::audit
