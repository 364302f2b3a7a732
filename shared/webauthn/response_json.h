#pragma once
// RegistrationResponseJSON / AuthenticationResponseJSON (WebAuthn L3 §5.1)
// into the decoded structs the verifier takes. InvalidRequest for a missing
// member or wrong type (or a value over the bounds below), MalformedCredential
// for bytes that are not base64url. Unknown members are ignored;
// clientExtensionResults is not required (many clients omit it). A userHandle
// that is null or empty counts as absent.

#include "shared/webauthn/authentication.h"
#include "shared/webauthn/registration.h"

#include <QJsonObject>

namespace daarion::webauthn {

// Bounds on what a client may send, checked before anything is decoded
// (decoded sizes; base64url text may be 4/3 as long). Larger is InvalidRequest.
inline constexpr qsizetype kMaxAttestationObjectLength = 64 * 1024; // TPM and SafetyNet chains fit
inline constexpr qsizetype kMaxAuthenticatorDataLength = 16 * 1024;
inline constexpr qsizetype kMaxSignatureLength = 1024;              // RSA-8192
inline constexpr qsizetype kMaxUserHandleLength = 64;               // WebAuthn §5.4.3
inline constexpr qsizetype kMaxTransports = 16;

Result<RegistrationResponse> registrationResponseFromJson(const QJsonObject &json);
Result<AssertionResponse> assertionResponseFromJson(const QJsonObject &json);

} // namespace daarion::webauthn
