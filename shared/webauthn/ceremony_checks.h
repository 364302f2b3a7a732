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
    // crossOrigin: true must also name its topOrigin (and it must be listed):
    // a Level 2 client's bare crossOrigin says nothing of who embedded the
    // page, so an allow-list of top origins cannot be enforced on it.
    bool requireTopOrigin = false;
};

// §7.1 steps 7-11 / §7.2 steps 10-14: type (TypeMismatch), challenge in
// constant time (ChallengeInvalid), origin, crossOrigin and topOrigin
// (OriginMismatch).
Check checkClientData(const ClientData &clientData, const ClientDataExpectation &expected);

// §7.1 steps 14-17 / §7.2 steps 15-18: rpIdHash (RpIdMismatch), UP
// (UserPresenceRequired), UV when required (UserVerificationRequired), and
// BS never without BE (BackupFlagsInvalid). UP is skipped only when
// `requireUserPresence` is false: a registration created with mediation
// "conditional" (§7.1 step 15); an assertion always needs it.
Check checkAuthenticatorData(const AuthenticatorData &authData, const QString &rpId,
                             bool requireUserVerification, bool requireUserPresence = true);

} // namespace daarion::webauthn
