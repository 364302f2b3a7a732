#pragma once
// A certificate authority made at run time for attestation tests: a P-256
// root that issues attestation certificates for the soft authenticator's
// attestation keys. Nothing is read from disk, so no certificate in the
// repository can expire.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <openssl/evp.h>

#include <memory>
#include <optional>

namespace daarion::testing
{

// What an issued certificate says. The defaults meet the packed attestation
// certificate requirements of WebAuthn §8.2.1: version 3; subject C, O,
// OU "Authenticator Attestation", CN; basic constraints CA:false; the AAGUID
// in extension 1.3.6.1.4.1.45724.1.1.4 (when `aaguid` is set). Empty name
// parts are left out, so a test can break one requirement at a time.
struct CertificateProfile {
    QString country = QStringLiteral("UA");
    QString organization = QStringLiteral("DAARION Test Authenticators");
    QString organizationalUnit = QStringLiteral("Authenticator Attestation");
    QString commonName = QStringLiteral("DAARION Soft Authenticator");
    std::optional<QByteArray> aaguid; // 16 bytes, encoded as an OCTET STRING
    bool aaguidCritical = false;      // §8.2.1: must not be critical
    bool isCa = false;
    int version = 3;
    QDateTime notBefore; // invalid: a day ago
    QDateTime notAfter;  // invalid: ten years from now
};

class TestCa
{
public:
    // A fresh self-signed root (P-256 key, CA:true, keyCertSign).
    static TestCa
    createRoot(const QString &commonName = QStringLiteral("DAARION Test Attestation Root"));
    // Another root with the very same subject name as `genuine` but its own
    // key: what an attacker smuggles into x5c hoping to be mistaken for it.
    static TestCa createImpostorOf(const TestCa &genuine);

    TestCa() = default;
    bool isNull() const { return !m_key; }

    QByteArray certificateDer() const { return m_der; }
    QByteArray certificatePem() const;
    EVP_PKEY *key() const { return m_key.get(); }

    // A certificate for `subjectKey`, signed by this CA.
    QByteArray issue(EVP_PKEY *subjectKey, const CertificateProfile &profile) const;
    // An intermediate CA below this one (fresh P-256 key; `profile.isCa` is forced).
    TestCa issueIntermediate(CertificateProfile profile) const;

private:
    std::shared_ptr<EVP_PKEY> m_key;
    QByteArray m_der;
};

// A self-signed certificate for `key` with `profile` (e.g. a leaf that claims
// to be its own root).
QByteArray selfSignedCertificate(EVP_PKEY *key, const CertificateProfile &profile);

} // namespace daarion::testing
