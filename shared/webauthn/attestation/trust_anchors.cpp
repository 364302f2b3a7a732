// Placeholder until trust anchors land; replace this file whole.
#include "shared/webauthn/attestation/trust_anchors.h"

namespace daarion::webauthn {

void TrustAnchors::addRoot(const QByteArray &der, const QString &fmt) { m_roots[fmt].append(der); }
Check TrustAnchors::loadDirectory(const QString &) { return Ok{}; }
bool TrustAnchors::isEmpty() const { return m_roots.isEmpty(); }
bool TrustAnchors::chainsToRoot(const QList<QByteArray> &, const QString &, const QDateTime &) const
{
    return false;
}

} // namespace daarion::webauthn
