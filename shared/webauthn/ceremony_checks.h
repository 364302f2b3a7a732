#pragma once
// The checks §7.1 (registration) and §7.2 (authentication) share, written
// once: clientDataJSON against what the relying party issued, and the
// rpIdHash and flags of authenticatorData against its policy.

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/client_data.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>

namespace daarion::webauthn {

struct ClientDataExpectation {
    QLatin1StringView type; // "webauthn.create" or "webauthn.get"
    QByteArray challenge;
    QStringList allowedOrigins;
    QStringList allowedTopOrigins; // empty: the RP does not expect to be embedded cross-origin
};

// §7.1 steps 7-11 / §7.2 steps 10-14: type (TypeMismatch), challenge in
// constant time (ChallengeInvalid), origin, crossOrigin and topOrigin
// (OriginMismatch).
Check checkClientData(const ClientData &clientData, const ClientDataExpectation &expected);

// §7.1 steps 14-17 / §7.2 steps 15-18: rpIdHash (RpIdMismatch), UP
// (UserPresenceRequired), UV when required (UserVerificationRequired), and
// BS never without BE (BackupFlagsInvalid).
Check checkAuthenticatorData(const AuthenticatorData &authData, const QString &rpId,
                             bool requireUserVerification);

} // namespace daarion::webauthn
