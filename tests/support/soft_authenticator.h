#pragma once
// A software WebAuthn authenticator and client for tests and benchmarks.
//
// It plays both the authenticator and the browser: given the creation or
// request options the relying party sent (PublicKeyCredentialCreationOptionsJSON
// / PublicKeyCredentialRequestOptionsJSON) and the page's origin, it makes a
// RegistrationResponseJSON / AuthenticationResponseJSON exactly as
// credential.toJSON() would, from real bytes: OpenSSL keys and signatures,
// CBOR from libcbor's encoder. It knows nothing of the verifier.
//
// Negative tests change exactly one thing with SoftTweaks: each hook runs at
// the step named, so whatever is signed afterwards is signed over the changed
// bytes (the signature stays valid) and whatever is changed after signing is
// not. Keys are made once per credential; an assertion costs one signature.
//
// Thread safety: create() and get() may run concurrently on one authenticator
// (its registry is locked); config() changes belong to test set-up.

#include "tests/support/cbor_writer.h"
#include "tests/support/soft_credential.h"
#include "tests/support/test_ca.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace daarion::testing
{

enum class AttestationFormat {
    None,       // fmt "none", empty attStmt
    PackedSelf, // fmt "packed", signed by the credential key itself
    PackedX5c,  // fmt "packed", signed by an attestation key, x5c leaf from a test CA
    FidoU2f,    // fmt "fido-u2f", P-256 credentials only, one certificate
};
QString attestationFormatName(AttestationFormat format); // the fmt string

// Changes to one ceremony, applied in this order.
struct SoftTweaks {
    // The page runs in a cross-origin iframe below this top-level origin:
    // clientData gets crossOrigin true and topOrigin.
    std::optional<QString> topOrigin;
    // Registration: make a key of this alg whatever pubKeyCredParams says.
    std::optional<std::int64_t> algorithm;
    // Registration: use this credential ID instead of a random one.
    std::optional<QByteArray> credentialId;
    // Assertion: sign with this credential instead of choosing one.
    SoftCredential credential;

    // clientData as a JSON object (type, challenge, origin, crossOrigin,
    // topOrigin), before it is serialised; then its exact bytes, before hashing.
    std::function<void(QJsonObject &)> clientData;
    std::function<void(QByteArray &)> clientDataJson;
    // Flag bits set and cleared after the authenticator computed them.
    quint8 setFlags = 0;
    quint8 clearFlags = 0;
    // Registration: the COSE key before it is written into authenticatorData.
    std::function<void(CborValue &)> coseKey;
    // authenticatorData's bytes before anything signs over them.
    std::function<void(QByteArray &)> authenticatorData;
    // Registration: the attestation object ({fmt, attStmt, authData}, attStmt
    // already signed) before it is encoded; then its encoded bytes.
    std::function<void(CborValue &)> attestationObject;
    std::function<void(QByteArray &)> attestationObjectBytes;
    // Assertion: the signature after signing.
    std::function<void(QByteArray &)> signature;
    // Assertion: replace (or, with an empty value, drop) response.userHandle.
    std::optional<QByteArray> userHandle;
    // The finished RegistrationResponseJSON / AuthenticationResponseJSON.
    std::function<void(QJsonObject &)> responseJson;
};

// What a ceremony produced: the JSON the relying party receives, and the
// decoded pieces inside it.
struct SoftRegistration {
    QString domError; // non-empty when the authenticator refused (e.g. "InvalidStateError")
    SoftCredential credential;
    QByteArray clientDataJson;
    QByteArray authenticatorData;
    QByteArray attestationObject;
    QJsonObject json; // RegistrationResponseJSON
    bool ok() const { return domError.isEmpty(); }
};

struct SoftAssertion {
    QString domError; // e.g. "NotAllowedError" when no credential fits
    SoftCredential credential;
    QByteArray clientDataJson;
    QByteArray authenticatorData;
    QByteArray signature;
    std::optional<QByteArray> userHandle;
    QJsonObject json; // AuthenticationResponseJSON
    bool ok() const { return domError.isEmpty(); }
};

class SoftAuthenticator
{
public:
    struct Config {
        AttestationFormat attestation = AttestationFormat::None;
        QByteArray aaguid; // empty: random, chosen once (fido-u2f always sends zeros)
        // Algorithms it can make, used in the RP's pubKeyCredParams order.
        QList<std::int64_t> algorithms{softalg::ES256, softalg::EdDSA, softalg::RS256};
        bool userVerifying = true; // sets UV when userVerification is required or preferred
        bool backupEligible = false;
        bool backupState = false;
        CounterMode counterMode = CounterMode::Increment;
        quint32 initialSignCount = 0;
        bool returnsUserHandle = true;
        QStringList transports{QStringLiteral("internal"), QStringLiteral("hybrid")};
        QString attachment = QStringLiteral("platform");

        // For PackedX5c and FidoU2f. Whatever is left empty is made on first use:
        // a CA, a P-256 attestation key, and a certificate the CA issues for it
        // (§8.2.1 profile with this AAGUID for packed; a plain one for fido-u2f).
        TestCa attestationCa;
        std::shared_ptr<EVP_PKEY> attestationKey;
        QList<QByteArray> attestationCertificates; // x5c, leaf first
        QList<QByteArray> extraCertificates;       // appended to x5c (e.g. a smuggled root)
    };

    SoftAuthenticator();
    explicit SoftAuthenticator(Config config);

    Config &config() { return m_config; }
    const QByteArray &aaguid() const { return m_config.aaguid; }
    // The CA behind x5c attestations (made on first use when not configured).
    TestCa attestationCa();
    QList<QByteArray> attestationCertificates(); // the x5c it sends, leaf first

    // navigator.credentials.create(): `options` is a
    // PublicKeyCredentialCreationOptionsJSON (or an object with it under
    // "publicKey"). The new credential is kept for later get() calls.
    SoftRegistration create(const QJsonObject &options, const QString &origin,
                            const SoftTweaks &tweaks = {});

    // navigator.credentials.get(): `options` is a
    // PublicKeyCredentialRequestOptionsJSON (or under "publicKey"). The first
    // allowCredentials entry this authenticator holds is used; with an empty
    // list, the newest discoverable credential for the RP ID.
    SoftAssertion get(const QJsonObject &options, const QString &origin,
                      const SoftTweaks &tweaks = {});

    // Credentials it holds (created here or added).
    void addCredential(const SoftCredential &credential);
    QList<SoftCredential> credentials() const;
    SoftCredential credential(const QByteArray &id) const;

private:
    struct Attestation {
        std::int64_t alg = 0;
        QByteArray signature;
        QList<QByteArray> x5c;
    };
    void ensureAttestationMaterial();
    CborValue attestationStatement(const SoftCredential &credential, const QByteArray &authData,
                                   const QByteArray &clientDataHash);

    Config m_config;
    mutable QMutex m_mutex; // guards the registry and the attestation material
    QHash<QByteArray, SoftCredential> m_byId;
    QList<SoftCredential> m_ordered; // creation order, newest last
};

} // namespace daarion::testing
