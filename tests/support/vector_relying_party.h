#pragma once
// The relying party of the W3C test vectors (tests/data/vectors/w3c), for
// code that feeds arbitrary bytes through the whole verifier: the fuzz
// targets (fuzz/), their seed generator and the regression suite over
// tests/data/broken/. Everything it decides is fixed (RP ID, origins, the
// verification time, the vectors' attestation root), so a verdict depends on
// the input alone; its "database" holds the vectors' credentials, found by
// credential ID as the daemon finds a stored passkey.

#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/authentication.h"
#include "shared/webauthn/registration.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace daarion::testing
{

// One vector file, decoded.
struct W3cVector {
    QString name; // file name without .json
    QJsonObject json;
    QByteArray credentialId;
    QByteArray publicKeyCose; // from the registration's authenticatorData
    bool backupEligible = false;
    // registration: clientDataJSON and attestationObject
    QByteArray creationClientData;
    QByteArray attestationObject;
    QByteArray authData; // inside attestationObject
    // authentication: clientDataJSON, authenticatorData, signature
    QByteArray requestClientData;
    QByteArray assertionAuthData;
    QByteArray signature;

    // The two responses as a browser's credential.toJSON() sends them.
    QByteArray registrationResponseJson() const;
    QByteArray authenticationResponseJson(const std::optional<QByteArray> &userHandle = {}) const;
};

class VectorRelyingParty
{
public:
    static inline const QString kRpId = QStringLiteral("example.org");
    static inline const QString kOrigin = QStringLiteral("https://example.org");
    static inline const QString kTopOrigin = QStringLiteral("https://example.com");
    // The owner handle of every vector credential (the vectors' assertions carry none).
    static inline const QByteArray kUserHandle = QByteArrayLiteral("w3c-vector-user");
    // Certificates are judged at this instant, never at the wall clock's.
    static QDateTime verificationTime();

    // Reads every vector in `dataDirectory`/vectors/w3c (tests/data: the
    // DAARION_TEST_DATA of the suites). Throws std::runtime_error when a
    // vector cannot be read: a harness without its data must not run.
    explicit VectorRelyingParty(const QString &dataDirectory);

    const QList<W3cVector> &vectors() const { return m_vectors; }
    const webauthn::TrustAnchors &trustAnchors() const { return m_anchors; }

    // The policy of a registration ceremony that issued `challenge`.
    webauthn::RegistrationPolicy registrationPolicy(const QByteArray &challenge) const;
    // The policy of an assertion for the stored credential `credentialId`, or
    // nothing when no vector has that ID (the daemon answers unknown_credential).
    std::optional<webauthn::AssertionPolicy> assertionPolicy(const QByteArray &challenge,
                                                             const QByteArray &credentialId) const;

    // What this relying party makes of raw input, in the layouts of the fuzz
    // targets (fuzz/README.md), so a saved input replays on the same path.
    // The challenge it issued is whatever the clientDataJSON names, so
    // arbitrary responses reach every later step.
    //
    // A RegistrationResponseJSON body through §7.1 (InvalidRequest when it is
    // not a JSON object).
    webauthn::Result<webauthn::RegisteredCredential> registerResponse(const QByteArray &json) const;
    // An AuthenticationResponseJSON body through §7.2 with the stored
    // credential its rawId names (UnknownCredential when there is none).
    webauthn::Result<webauthn::AssertionVerdict> authenticateResponse(const QByteArray &json) const;
    // A 32-byte clientDataHash followed by an attestationObject, through
    // §7.1 steps 13 and 22-24: the format's verifier at verificationTime(),
    // then the chain to the vectors' root.
    struct VerifiedAttestation {
        QString fmt;
        webauthn::AttestationVerdict verdict;
        bool trusted = false;
    };
    webauthn::Result<VerifiedAttestation> verifyAttestation(const QByteArray &hashAndObject) const;

private:
    QList<W3cVector> m_vectors;
    webauthn::TrustAnchors m_anchors;
};

} // namespace daarion::testing
