#pragma once
// Attestation roots, per format or for every format, and the chain check of
// an attestation trust path against them (§7.1 steps 23-24).
//
// A certificate inside the client's trust path is never an anchor, even when
// it is self-signed: only configured roots are. A path that verifies to no
// configured root is "untrusted", which the registration policy may accept or
// refuse.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace daarion::webauthn
{

class TrustAnchors
{
public:
    // fmt empty: a root for every format.
    void addRoot(const QByteArray &der, const QString &fmt = {});
    // Reads every PEM certificate in the files of `directory` (*.pem, *.crt);
    // a subdirectory named after a format holds roots for that format only.
    Check loadDirectory(const QString &directory);

    bool isEmpty() const;
    // Whether any root applies to `fmt`: one for that format or for every format.
    bool hasRootsFor(const QString &fmt) const;

    // True when `trustPath` (DER, leaf first) chains to a root for `fmt` at
    // `when`. False otherwise, including when there are no roots.
    bool chainsToRoot(const QList<QByteArray> &trustPath, const QString &fmt,
                      const QDateTime &when) const;

private:
    QHash<QString, QList<QByteArray>> m_roots; // fmt ("" = any) -> DER roots
};

} // namespace daarion::webauthn
