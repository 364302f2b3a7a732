#pragma once
// Registering a new credential: WebAuthn Level 3 §7.1, step by step.

#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>

namespace daarion::webauthn
{

class TrustAnchors;

// A RegistrationResponseJSON, already base64url-decoded (see response_json.h).
struct RegistrationResponse {
    QString id; // base64url text as sent
    QByteArray rawId;
    QString type; // must be "public-key"
    QByteArray clientDataJSON;
    QByteArray attestationObject;
    QStringList transports;
    QString authenticatorAttachment;
};

// What the relying party asked for when it issued the challenge.
struct RegistrationPolicy {
    QByteArray challenge;
    QString rpId;
    QStringList allowedOrigins;    // exact match
    QStringList allowedTopOrigins; // for crossOrigin: true; empty refuses cross-origin
    bool requireTopOrigin = false; // crossOrigin: true must name a listed topOrigin
    bool requireUserVerification = false;
    // False only for a credential created with mediation "conditional"
    // (conditional create, §7.1 step 15): the browser made it without
    // asking the person, so UP may be clear.
    bool requireUserPresence = true;
    QList<std::int64_t> allowedAlgorithms;      // pubKeyCredParams; empty = every supported one
    const TrustAnchors *trustAnchors = nullptr; // per format or for every format
    // Roots for one authenticator model (FIDO MDS attestationRootCertificates):
    // the anchors for this AAGUID only, used besides trustAnchors. An empty
    // function, or nullptr from it, means none for that AAGUID.
    std::function<const TrustAnchors *(const QByteArray &aaguid)> aaguidTrustAnchors;
    // Every attestation must chain to a root (none and self are refused).
    bool requireTrustedAttestation = false;
    // A trust path must chain when roots were given for it (trustAnchors for
    // its format or for every format, or aaguidTrustAnchors for its AAGUID);
    // where none were given it is accepted as untrusted, like none and self.
    bool requireChainWhereRootsGiven = false;
    QDateTime verificationTime; // invalid = now
};

struct RegisteredCredential {
    QByteArray credentialId;
    QByteArray publicKeyCose;
    std::int64_t alg = 0;
    QByteArray aaguid;
    quint32 signCount = 0;
    quint8 flags = 0;
    QString fmt;
    AttestationType attestationType = AttestationType::None;
    bool trusted = false; // trust path chains to a configured root
    QList<QByteArray> trustPath;
    QStringList transports;
    bool userVerified = false;
    bool backupEligible = false;
    bool backupState = false;
};

Result<RegisteredCredential> verifyRegistration(const RegistrationResponse &response,
                                                const RegistrationPolicy &policy);

} // namespace daarion::webauthn
