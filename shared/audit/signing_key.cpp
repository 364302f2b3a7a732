#include "shared/audit/signing_key.h"

#include "shared/webauthn/openssl_handles.h"

#include <QCryptographicHash>
#include <QFile>

#include <openssl/pem.h>

namespace daarion::audit
{

using namespace daarion::webauthn;

namespace
{

// Never prompt for a passphrase on the terminal: an encrypted key is refused.
int refusePassphrase(char *, int, int, void *)
{
    return -1;
}

QByteArray readBio(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

BioPtr memoryBio(const QByteArray &bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

KeyResult<QByteArray> readKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
    if (file.size() > 64 * 1024)
        return QStringLiteral("%1 is too large to be a PEM key").arg(path);
    return file.readAll();
}

bool isEd25519(EVP_PKEY *key)
{
    return key != nullptr && EVP_PKEY_is_a(key, "ED25519") == 1;
}

} // namespace

KeyResult<AuditPublicKey> AuditPublicKey::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, refusePassphrase, nullptr));
    if (!key)
        return QStringLiteral("not a PEM public key");
    if (!isEd25519(key.get()))
        return QStringLiteral("not an Ed25519 public key");
    return AuditPublicKey(sharePkey(std::move(key)));
}

KeyResult<AuditPublicKey> AuditPublicKey::fromPemFile(const QString &path)
{
    auto pem = readKeyFile(path);
    if (!pem)
        return pem.error();
    auto key = fromPem(*pem);
    if (!key)
        return path + QStringLiteral(": ") + key.error();
    return key;
}

KeyResult<AuditPublicKey> AuditPublicKey::fromRaw(const QByteArray &raw)
{
    if (raw.size() != 32)
        return QStringLiteral("an Ed25519 public key is 32 bytes, not %1").arg(raw.size());
    EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(raw.constData()),
        size_t(raw.size())));
    if (!key)
        return QStringLiteral("not an Ed25519 public key");
    return AuditPublicKey(sharePkey(std::move(key)));
}

QByteArray AuditPublicKey::raw() const
{
    QByteArray raw(32, Qt::Uninitialized);
    size_t size = size_t(raw.size());
    if (EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(raw.data()),
                                    &size) != 1)
        return {};
    raw.resize(qsizetype(size));
    return raw;
}

QByteArray AuditPublicKey::pem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return {};
    return readBio(bio.get());
}

QString AuditPublicKey::fingerprint() const
{
    return QString::fromLatin1(QCryptographicHash::hash(raw(), QCryptographicHash::Sha256).toHex());
}

bool AuditPublicKey::verify(QByteArrayView message, QByteArrayView signature) const
{
    if (signature.size() != 64)
        return false;
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    if (!context ||
        EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, m_key.get()) != 1)
        return false;
    return EVP_DigestVerify(
               context.get(), reinterpret_cast<const unsigned char *>(signature.data()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(message.data()),
               size_t(message.size())) == 1;
}

KeyResult<AuditSigningKey> AuditSigningKey::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, refusePassphrase, nullptr));
    if (!key)
        return QStringLiteral("not an unencrypted PEM private key");
    if (!isEd25519(key.get()))
        return QStringLiteral("not an Ed25519 private key (openssl genpkey -algorithm ed25519)");
    return AuditSigningKey(sharePkey(std::move(key)));
}

KeyResult<AuditSigningKey> AuditSigningKey::fromPemFile(const QString &path)
{
    auto pem = readKeyFile(path);
    if (!pem)
        return pem.error();
    auto key = fromPem(*pem);
    pem->fill('\0'); // the private key's bytes do not linger in our heap
    if (!key)
        return path + QStringLiteral(": ") + key.error();
    return key;
}

AuditSigningKey AuditSigningKey::generate()
{
    return AuditSigningKey(sharePkey(EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"))));
}

QByteArray AuditSigningKey::sign(QByteArrayView message) const
{
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, m_key.get()) != 1)
        return {};
    QByteArray signature(64, Qt::Uninitialized);
    size_t size = size_t(signature.size());
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &size,
                       reinterpret_cast<const unsigned char *>(message.data()),
                       size_t(message.size())) != 1)
        return {};
    signature.resize(qsizetype(size));
    return signature;
}

AuditPublicKey AuditSigningKey::publicKey() const
{
    return AuditPublicKey(m_key);
}

QByteArray AuditSigningKey::privatePem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1)
        return {};
    return readBio(bio.get());
}

} // namespace daarion::audit
