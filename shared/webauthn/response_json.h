#pragma once
// RegistrationResponseJSON / AuthenticationResponseJSON (WebAuthn L3 §5.1)
// into the decoded structs the verifier takes. InvalidRequest for a missing
// member or wrong type, MalformedCredential for bytes that are not base64url.

#include "shared/webauthn/authentication.h"
#include "shared/webauthn/registration.h"

#include <QJsonObject>

namespace daarion::webauthn {

Result<RegistrationResponse> registrationResponseFromJson(const QJsonObject &json);
Result<AssertionResponse> assertionResponseFromJson(const QJsonObject &json);

} // namespace daarion::webauthn
