#pragma once
// What every attestation statement format (§8) verifies and returns. Each
// format lives in its own file and exports one function of type
// AttestationVerifier; attestation_formats.cpp is the one table of them.

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <cbor.h>

namespace daarion::webauthn {

class TrustAnchors;

enum class AttestationType { None, Self, Basic, AttCA, AnonCA };
QString attestationTypeName(AttestationType type); // "none", "self", "basic", "attca", "anonca"

struct AttestationInput {
    const cbor_item_t *statement = nullptr; // the attStmt map
    const AuthenticatorData &authData;
    QByteArray clientDataHash;
    QDateTime verificationTime; // certificate validity is judged at this instant (UTC)
};

struct AttestationVerdict {
    AttestationType type = AttestationType::None;
    QList<QByteArray> trustPath; // DER certificates, leaf first; empty for none/self
};

using AttestationVerifier = Result<AttestationVerdict> (*)(const AttestationInput &);

// The verifier for a format identifier, or nullptr for one we do not know.
AttestationVerifier attestationVerifierFor(const QString &fmt);

// One declaration per format (one file each under attestation/).
Result<AttestationVerdict> verifyNoneAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyPackedAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyFidoU2fAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyTpmAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyAndroidKeyAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyAndroidSafetyNetAttestation(const AttestationInput &input);
Result<AttestationVerdict> verifyAppleAttestation(const AttestationInput &input);

} // namespace daarion::webauthn
