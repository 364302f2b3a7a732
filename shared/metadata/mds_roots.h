#pragma once
// The roots a metadata BLOB's x5c chain must lead to: MDS_ROOT_CERT (a PEM
// file of one or more certificates) or, by default, the FIDO Alliance MDS
// root this project ships (data/fido-mds-root.pem, GlobalSign Root CA - R3).

#include "shared/metadata/metadata_error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace daarion::metadata
{

// A PEM file of roots is a few KiB; anything near this is a mistake.
inline constexpr qint64 kMaxRootFileBytes = 1024 * 1024;

class MdsRoots
{
public:
    // Every certificate of a PEM text; RootUnavailable when there is none or
    // one does not parse. `origin` names the source in messages.
    static MetadataResult<MdsRoots> fromPem(QByteArrayView pem, const QString &origin);
    static MetadataResult<MdsRoots> fromFile(const QString &path);
    // The shipped FIDO Alliance MDS root.
    static MdsRoots bundled();
    // MDS_ROOT_CERT's file when `path` is set, the shipped root otherwise.
    static MetadataResult<MdsRoots> load(const QString &path);

    const QList<QByteArray> &certificates() const { return m_der; } // DER
    QString origin() const { return m_origin; }

private:
    QList<QByteArray> m_der;
    QString m_origin;
};

} // namespace daarion::metadata
