// Attestation trust (§7.1 steps 23-24): the trust path must verify, at the
// chosen instant, to a root the operator configured for the format or for
// every format. Only configured roots go into the X509_STORE; the client's
// certificates are "untrusted" intermediates, and partial chains are not
// allowed, so a self-signed certificate inside x5c never becomes an anchor.
#include "shared/webauthn/attestation/trust_anchors.h"

#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/openssl_handles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace daarion::webauthn
{

namespace
{

// A roots file larger than this is a mistake, not a bundle of attestation roots.
constexpr qint64 kMaxRootsFileSize = 4 * 1024 * 1024;

Check loadPemFile(TrustAnchors &anchors, const QString &path, const QString &fmt)
{
    QFile file(path);
    if (file.size() > kMaxRootsFileSize)
        return fail(ErrorCode::InvalidRequest,
                    QStringLiteral("%1: larger than %2 bytes").arg(path).arg(kMaxRootsFileSize));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::InvalidRequest,
                    QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    const QByteArray pem = file.readAll();
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    int count = 0;
    for (;;) {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert)
            break;
        unsigned char *der = nullptr;
        const int length = i2d_X509(cert.get(), &der);
        if (length <= 0)
            return fail(
                ErrorCode::InvalidRequest,
                QStringLiteral("%1: certificate %2 cannot be encoded").arg(path).arg(count));
        anchors.addRoot(QByteArray(reinterpret_cast<const char *>(der), length), fmt);
        OPENSSL_free(der);
        ++count;
    }
    ERR_clear_error(); // the loop ends on "no start line"
    if (count == 0)
        return fail(ErrorCode::InvalidRequest,
                    QStringLiteral("%1: no PEM certificate in this file").arg(path));
    return Ok{};
}

Check loadPemFiles(TrustAnchors &anchors, const QDir &directory, const QString &fmt)
{
    const QFileInfoList files =
        directory.entryInfoList({QStringLiteral("*.pem"), QStringLiteral("*.crt")},
                                QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo &file : files) {
        auto loaded = loadPemFile(anchors, file.absoluteFilePath(), fmt);
        if (!loaded)
            return loaded;
    }
    return Ok{};
}

} // namespace

void TrustAnchors::addRoot(const QByteArray &der, const QString &fmt)
{
    m_roots[fmt].append(der);
}

Check TrustAnchors::loadDirectory(const QString &directory)
{
    QDir root(directory);
    if (!root.exists())
        return fail(ErrorCode::InvalidRequest,
                    QStringLiteral("roots directory %1 does not exist").arg(directory));
    auto loaded = loadPemFiles(*this, root, QString());
    if (!loaded)
        return loaded;
    // A subdirectory holds the roots of the format it is named after ("tpm", "packed", ...).
    const QStringList formats = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &fmt : formats) {
        loaded = loadPemFiles(*this, QDir(root.filePath(fmt)), fmt);
        if (!loaded)
            return loaded;
    }
    return Ok{};
}

bool TrustAnchors::isEmpty() const
{
    return m_roots.isEmpty();
}

bool TrustAnchors::hasRootsFor(const QString &fmt) const
{
    return !m_roots.value(QString()).isEmpty() || (!fmt.isEmpty() && !m_roots.value(fmt).isEmpty());
}

bool TrustAnchors::chainsToRoot(const QList<QByteArray> &trustPath, const QString &fmt,
                                const QDateTime &when) const
{
    if (trustPath.isEmpty())
        return false;
    QList<QByteArray> roots = m_roots.value(QString());
    if (!fmt.isEmpty())
        roots += m_roots.value(fmt);
    if (roots.isEmpty())
        return false;

    X509StorePtr store(X509_STORE_new());
    if (!store)
        return false;
    for (const QByteArray &der : roots) {
        auto root = parseCertificate(der);
        if (root && X509_STORE_add_cert(store.get(), root->get()) != 1)
            ERR_clear_error(); // the same root configured twice
    }

    auto leaf = parseCertificate(trustPath.front());
    if (!leaf)
        return false;
    X509StackPtr untrusted(sk_X509_new_null());
    if (!untrusted)
        return false;
    for (qsizetype i = 1; i < trustPath.size(); ++i) {
        auto cert = parseCertificate(trustPath[i]);
        if (!cert || !sk_X509_push(untrusted.get(), cert->get()))
            return false;
        cert->release(); // the stack owns it now
    }

    X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!context ||
        X509_STORE_CTX_init(context.get(), store.get(), leaf->get(), untrusted.get()) != 1)
        return false;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(context.get());
    X509_VERIFY_PARAM_set_time(param, time_t(effectiveVerificationTime(when).toSecsSinceEpoch()));
    // Never X509_V_FLAG_PARTIAL_CHAIN: the chain must end at a configured self-signed root.
    X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    const bool verified = X509_verify_cert(context.get()) == 1;
    ERR_clear_error();
    return verified;
}

} // namespace daarion::webauthn
