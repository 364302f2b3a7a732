#include "shared/audit/merkle_tree.h"

#include <QCryptographicHash>

namespace daarion::audit
{

MerkleTree::MerkleTree(QList<QByteArray> leafHashes)
{
    m_levels.append(std::move(leafHashes));
    while (m_levels.last().size() > 1) {
        const QList<QByteArray> &below = m_levels.last();
        QList<QByteArray> above;
        above.reserve((below.size() + 1) / 2);
        for (qsizetype i = 0; i < below.size(); i += 2)
            above.append(i + 1 < below.size() ? nodeHash(below.at(i), below.at(i + 1))
                                              : below.at(i));
        m_levels.append(std::move(above));
    }
}

QByteArray MerkleTree::leafHash(QByteArrayView leafData)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView("\x00", 1));
    hash.addData(leafData);
    return hash.result();
}

QByteArray MerkleTree::nodeHash(QByteArrayView left, QByteArrayView right)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView("\x01", 1));
    hash.addData(left);
    hash.addData(right);
    return hash.result();
}

QByteArray MerkleTree::root() const
{
    if (m_levels.first().isEmpty())
        return QCryptographicHash::hash(QByteArray(), QCryptographicHash::Sha256);
    return m_levels.last().first();
}

QList<QByteArray> MerkleTree::auditPath(qsizetype index) const
{
    QList<QByteArray> path;
    if (index < 0 || index >= size())
        return path;
    for (qsizetype level = 0; level + 1 < m_levels.size(); ++level) {
        const qsizetype sibling = index ^ 1;
        if (sibling < m_levels.at(level).size())
            path.append(m_levels.at(level).at(sibling));
        index /= 2;
    }
    return path;
}

bool MerkleTree::verifyAuditPath(const QByteArray &leafHash, qsizetype index, qsizetype size,
                                 const QList<QByteArray> &path, const QByteArray &root)
{
    if (index < 0 || index >= size)
        return false;
    qsizetype fn = index;
    qsizetype sn = size - 1;
    QByteArray r = leafHash;
    for (const QByteArray &p : path) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            r = nodeHash(p, r);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

} // namespace daarion::audit
