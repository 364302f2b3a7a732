// Verifying an authentication assertion: WebAuthn Level 3 §7.2, in the
// specification's order. Steps 1-2 (options, get()) and finding the credential
// record (steps 5-6's lookup) belong to the caller, which passes the record in
// the policy; step 25 (storing the new counter and flags) too.
#include "shared/webauthn/authentication.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/ceremony_checks.h"
#include "shared/webauthn/client_data.h"
#include "shared/webauthn/cose_key.h"

namespace daarion::webauthn {

Result<AssertionVerdict> verifyAssertion(const AssertionResponse &response, const AssertionPolicy &policy)
{
    // Step 3: a public-key credential.
    if (response.type != QLatin1StringView("public-key"))
        return fail(ErrorCode::MalformedCredential, QStringLiteral("credential type must be \"public-key\""));

    if (response.rawId.isEmpty() || response.id != QLatin1StringView(encodeBase64Url(response.rawId)))
        return fail(ErrorCode::MalformedCredential, QStringLiteral("credential id is not the base64url encoding of rawId"));

    // Step 5: the credential is the one this ceremony allows.
    if (policy.credentialId.isEmpty() || !constantTimeEquals(response.rawId, policy.credentialId))
        return fail(ErrorCode::UnknownCredential, QStringLiteral("rawId does not name the expected credential"));

    // Step 6: a user handle, when the authenticator returns one, is the owner's.
    if (response.userHandle &&
        (!policy.userHandle || !constantTimeEquals(*response.userHandle, *policy.userHandle)))
        return fail(ErrorCode::UnknownCredential,
                    policy.userHandle ? QStringLiteral("userHandle is not the credential owner's")
                                      : QStringLiteral("the response carries a userHandle but no owner handle was given to compare"));

    // Steps 7-9: decode and parse clientDataJSON.
    Result<ClientData> clientData = parseClientData(response.clientDataJSON);
    if (!clientData)
        return clientData.error();

    // Steps 10-14: type, challenge, origin, crossOrigin, topOrigin.
    const ClientDataExpectation expected{QLatin1StringView("webauthn.get"), policy.challenge,
                                         policy.allowedOrigins, policy.allowedTopOrigins,
                                         policy.requireTopOrigin};
    if (Check checked = checkClientData(*clientData, expected); !checked)
        return checked.error();

    // Steps 15-18: rpIdHash, UP, UV under policy, BS without BE.
    Result<AuthenticatorData> authData = parseAuthenticatorData(response.authenticatorData);
    if (!authData)
        return authData.error();
    if (Check checked = checkAuthenticatorData(*authData, policy.rpId, policy.requireUserVerification); !checked)
        return checked.error();

    // Step 19: backup eligibility is fixed at creation and may never change.
    if (policy.storedBackupEligible && *policy.storedBackupEligible != authData->backupEligible())
        return fail(ErrorCode::BackupFlagsInvalid,
                    QStringLiteral("BE is %1 but was %2 at registration")
                        .arg(authData->backupEligible()).arg(*policy.storedBackupEligible));
    // Step 20 (client extension outputs): nothing requested needs checking.

    // Step 21: hash = SHA-256(clientDataJSON), computed by parseClientData.
    // Step 22: the signature over authenticatorData || hash, with the stored key.
    Result<CoseKey> key = parseCoseKey(policy.publicKeyCose);
    if (!key)
        return fail(key.error().code, QStringLiteral("stored public key: ") + key.error().message);
    if (Check signature = verifySignature(key->pkey.get(), key->alg, response.authenticatorData + clientData->hash,
                                          response.signature);
        !signature)
        return signature.error();

    // Step 23: where either counter is in use, it must grow; otherwise the
    // authenticator may have been cloned.
    if ((authData->signCount != 0 || policy.storedSignCount != 0) && authData->signCount <= policy.storedSignCount)
        return fail(ErrorCode::CounterRegression, QStringLiteral("signature counter %1 did not grow past the stored %2")
                                                      .arg(authData->signCount).arg(policy.storedSignCount));

    // Step 24 (an attestationObject in the assertion) is not requested.
    AssertionVerdict verdict;
    verdict.signCount = authData->signCount;
    verdict.flags = authData->flags;
    verdict.userVerified = authData->userVerified();
    verdict.backupEligible = authData->backupEligible();
    verdict.backupState = authData->backupState();
    return verdict;
}

} // namespace daarion::webauthn
