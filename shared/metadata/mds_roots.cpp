#include "shared/metadata/mds_roots.h"

#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/openssl_handles.h"

#include <QFile>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace daarion::metadata
{

namespace
{

constexpr char kBundledRoot[] = ":/daarion/metadata/fido-mds-root.pem";

MetadataError unavailable(const QString &detail)
{
    return metadataError(MetadataErrorCode::RootUnavailable, detail);
}

} // namespace

MetadataResult<MdsRoots> MdsRoots::fromPem(QByteArrayView pem, const QString &origin)
{
    MdsRoots roots;
    roots.m_origin = origin;
    webauthn::BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    if (!bio)
        return unavailable(origin + QStringLiteral(": out of memory"));
    for (;;) {
        webauthn::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert)
            break;
        unsigned char *der = nullptr;
        const int length = i2d_X509(cert.get(), &der);
        if (length <= 0)
            return unavailable(origin + QStringLiteral(": a certificate cannot be encoded"));
        QByteArray bytes(reinterpret_cast<const char *>(der), length);
        OPENSSL_free(der);
        if (auto parsed = webauthn::parseCertificate(bytes); !parsed)
            return unavailable(origin + QStringLiteral(": ") + parsed.error().message);
        roots.m_der.append(bytes);
    }
    ERR_clear_error(); // the loop ends on "no start line"
    if (roots.m_der.isEmpty())
        return unavailable(origin + QStringLiteral(": no PEM certificate in it"));
    return roots;
}

MetadataResult<MdsRoots> MdsRoots::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return unavailable(path + QStringLiteral(": cannot read: ") + file.errorString());
    if (file.size() > kMaxRootFileBytes)
        return unavailable(path + QStringLiteral(": larger than %1 bytes").arg(kMaxRootFileBytes));
    return fromPem(file.read(kMaxRootFileBytes + 1), path);
}

MdsRoots MdsRoots::bundled()
{
    auto roots = fromFile(QString::fromLatin1(kBundledRoot));
    Q_ASSERT(roots.ok()); // the resource is compiled in and checked by tst_metadata_blob
    return roots ? roots.value() : MdsRoots();
}

MetadataResult<MdsRoots> MdsRoots::load(const QString &path)
{
    if (path.isEmpty())
        return bundled();
    return fromFile(path);
}

} // namespace daarion::metadata
