#pragma once
// The Merkle Tree Hash of RFC 6962 §2.1 (Certificate Transparency) over a
// list of leaves: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left
// || right), the empty tree SHA-256(""). Built bottom-up, a lone last node
// moving up a level unchanged, which is the same tree as the RFC's
// recursive split at the largest power of two. Its audit paths (§2.1.1) let
// an exported event be checked against one signed checkpoint alone.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace daarion::audit
{

class MerkleTree
{
public:
    // leafHashes: leafHash() of each leaf, in order.
    explicit MerkleTree(QList<QByteArray> leafHashes);

    static QByteArray leafHash(QByteArrayView leafData);
    static QByteArray nodeHash(QByteArrayView left, QByteArrayView right);

    qsizetype size() const { return m_levels.first().size(); }
    QByteArray root() const;
    // The sibling hashes from leaf `index` up to the root; empty for a bad index.
    QList<QByteArray> auditPath(qsizetype index) const;

    // Recomputes the root from a leaf and its path (RFC 9162 §2.1.3.2).
    static bool verifyAuditPath(const QByteArray &leafHash, qsizetype index, qsizetype size,
                                const QList<QByteArray> &path, const QByteArray &root);

private:
    QList<QList<QByteArray>> m_levels; // [0] leaves … [last] the root alone
};

} // namespace daarion::audit
