// Checks shared by both ceremonies; see ceremony_checks.h for the steps.
#include "shared/webauthn/ceremony_checks.h"

#include "shared/webauthn/bytes.h"

namespace daarion::webauthn {

Check checkClientData(const ClientData &clientData, const ClientDataExpectation &expected)
{
    // type
    if (clientData.type != expected.type)
        return fail(ErrorCode::TypeMismatch, QStringLiteral("clientDataJSON.type is \"%1\", expected \"%2\"")
                                                 .arg(clientData.type.left(64), expected.type));
    // challenge: what we issued, compared in constant time (it is a secret until used).
    if (expected.challenge.isEmpty() || !constantTimeEquals(clientData.challenge, expected.challenge))
        return fail(ErrorCode::ChallengeInvalid, QStringLiteral("clientDataJSON.challenge is not the challenge issued"));
    // origin: exact match against the allow-list.
    if (!expected.allowedOrigins.contains(clientData.origin))
        return fail(ErrorCode::OriginMismatch, QStringLiteral("origin \"%1\" is not allowed").arg(clientData.origin.left(256)));
    // crossOrigin: only when the RP expects to be embedded, i.e. lists top origins.
    // A client that sends crossOrigin without topOrigin (Level 2) passes on that
    // alone, unless the RP asks for the top origin to be named.
    if (clientData.crossOrigin && expected.allowedTopOrigins.isEmpty())
        return fail(ErrorCode::OriginMismatch,
                    QStringLiteral("crossOrigin is true but no top origins are allowed (pass allowed top origins to accept embedding)"));
    if (clientData.crossOrigin && !clientData.topOrigin && expected.requireTopOrigin)
        return fail(ErrorCode::OriginMismatch,
                    QStringLiteral("crossOrigin is true but clientDataJSON names no topOrigin to "
                                   "check against the allowed top origins"));
    // topOrigin: only in a cross-origin iframe, and only a page we expect to be framed in.
    if (clientData.topOrigin) {
        if (!clientData.crossOrigin)
            return fail(ErrorCode::OriginMismatch, QStringLiteral("topOrigin is present but crossOrigin is not true"));
        if (!expected.allowedTopOrigins.contains(*clientData.topOrigin))
            return fail(ErrorCode::OriginMismatch,
                        QStringLiteral("topOrigin \"%1\" is not allowed").arg(clientData.topOrigin->left(256)));
    }
    return Ok{};
}

Check checkAuthenticatorData(const AuthenticatorData &authData, const QString &rpId,
                             bool requireUserVerification, bool requireUserPresence)
{
    if (rpId.isEmpty() || !constantTimeEquals(authData.rpIdHash, sha256(rpId.toUtf8())))
        return fail(ErrorCode::RpIdMismatch, QStringLiteral("rpIdHash is not SHA-256 of \"%1\"").arg(rpId));
    if (requireUserPresence && !authData.userPresent())
        return fail(ErrorCode::UserPresenceRequired, QStringLiteral("the UP flag is not set"));
    if (requireUserVerification && !authData.userVerified())
        return fail(ErrorCode::UserVerificationRequired, QStringLiteral("the UV flag is not set and policy requires it"));
    if (authData.backupState() && !authData.backupEligible())
        return fail(ErrorCode::BackupFlagsInvalid, QStringLiteral("BS (backed up) is set without BE (backup eligible)"));
    return Ok{};
}

} // namespace daarion::webauthn
