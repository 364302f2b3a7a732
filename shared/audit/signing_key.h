#pragma once
// Ed25519 keys for audit checkpoints (OpenSSL EVP). The daemon signs each
// checkpoint's hash with AUDIT_SIGNING_KEY (a PEM private key file, e.g.
// `openssl genpkey -algorithm ed25519 -out audit.pem`); whoever verifies
// needs only the public key `daarion-authd audit key` prints.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace daarion::audit
{

template <typename T>
using KeyResult = webauthn::Result<T, QString>; // the error says why, for people

class AuditPublicKey
{
public:
    static KeyResult<AuditPublicKey> fromPem(const QByteArray &pem);
    static KeyResult<AuditPublicKey> fromPemFile(const QString &path);
    static KeyResult<AuditPublicKey> fromRaw(const QByteArray &raw); // 32 bytes

    QByteArray raw() const;      // 32 bytes
    QByteArray pem() const;      // "-----BEGIN PUBLIC KEY-----…"
    QString fingerprint() const; // hex SHA-256 of raw(), to tell keys apart
    bool verify(QByteArrayView message, QByteArrayView signature) const;

private:
    friend class AuditSigningKey;
    explicit AuditPublicKey(std::shared_ptr<EVP_PKEY> key) : m_key(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> m_key;
};

class AuditSigningKey
{
public:
    // A PEM "PRIVATE KEY" holding an Ed25519 key; encrypted keys are refused.
    static KeyResult<AuditSigningKey> fromPem(const QByteArray &pem);
    static KeyResult<AuditSigningKey> fromPemFile(const QString &path);
    static AuditSigningKey generate(); // tests and first-time setup

    QByteArray sign(QByteArrayView message) const; // 64 bytes
    AuditPublicKey publicKey() const;
    QByteArray privatePem() const; // to write a key file; handle with care

private:
    explicit AuditSigningKey(std::shared_ptr<EVP_PKEY> key) : m_key(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> m_key;
};

} // namespace daarion::audit
