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

namespace daarion::webauthn {

class TrustAnchors;

// A RegistrationResponseJSON, already base64url-decoded (see response_json.h).
struct RegistrationResponse {
    QString id;         // base64url text as sent
    QByteArray rawId;
    QString type;       // must be "public-key"
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
    bool requireUserVerification = false;
    QList<std::int64_t> allowedAlgorithms; // pubKeyCredParams; empty = every supported one
    const TrustAnchors *trustAnchors = nullptr;
    bool requireTrustedAttestation = false;
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
