// Registering a new credential: WebAuthn Level 3 §7.1, in the specification's
// order. Steps 1-2 (creating options, calling create()) and 27 (is the ID
// already registered) belong to the caller; the rest are here.
#include "shared/webauthn/registration.h"

#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/ceremony_checks.h"
#include "shared/webauthn/client_data.h"

namespace daarion::webauthn
{

namespace
{

Error malformed(const QString &why)
{
    return fail(ErrorCode::MalformedCredential, why);
}

} // namespace

Result<RegisteredCredential> verifyRegistration(const RegistrationResponse &response,
                                                const RegistrationPolicy &policy)
{
    // Step 3: a public-key credential whose id is the base64url of its rawId.
    if (response.type != QLatin1StringView("public-key"))
        return malformed(QStringLiteral("credential type must be \"public-key\""));
    if (response.rawId.isEmpty() ||
        response.id != QLatin1StringView(encodeBase64Url(response.rawId)))
        return malformed(QStringLiteral("credential id is not the base64url encoding of rawId"));

    // Steps 5-6: decode and parse clientDataJSON (step 4, extension results, is not used).
    Result<ClientData> clientData = parseClientData(response.clientDataJSON);
    if (!clientData)
        return clientData.error();

    // Steps 7-11: type, challenge, origin, crossOrigin, topOrigin.
    const ClientDataExpectation expected{QLatin1StringView("webauthn.create"), policy.challenge,
                                         policy.allowedOrigins, policy.allowedTopOrigins,
                                         policy.requireTopOrigin};
    if (Check checked = checkClientData(*clientData, expected); !checked)
        return checked.error();

    // Step 12: hash = SHA-256(clientDataJSON), computed by parseClientData.
    const QByteArray &clientDataHash = clientData->hash;

    // Step 13: decode the attestationObject into fmt, authData and attStmt.
    Result<AttestationObject> attestation = parseAttestationObject(response.attestationObject);
    if (!attestation)
        return attestation.error();
    Result<AuthenticatorData> authData = parseAuthenticatorData(attestation->authData);
    if (!authData)
        return authData.error();
    if (!authData->attestedCredential)
        return malformed(QStringLiteral(
            "authenticatorData of a registration has no attested credential (AT clear)"));
    const AttestedCredentialData &credential = *authData->attestedCredential;
    if (credential.credentialId != response.rawId)
        return malformed(QStringLiteral("rawId is not the credential ID in authenticatorData"));

    // Steps 14-17: rpIdHash, UP (unless the options' mediation was
    // "conditional"), UV under policy, BS without BE.
    if (Check checked = checkAuthenticatorData(
            *authData, policy.rpId, policy.requireUserVerification, policy.requireUserPresence);
        !checked)
        return checked.error();
    // Steps 18-19 (using BE/BS for policy) are the caller's: the verdict carries both.

    // Step 20: the credential's alg is one the options offered.
    if (!policy.allowedAlgorithms.isEmpty() &&
        !policy.allowedAlgorithms.contains(credential.publicKey.alg))
        return fail(ErrorCode::UnsupportedAlgorithm,
                    QStringLiteral("alg %1 was not offered in pubKeyCredParams")
                        .arg(credential.publicKey.alg));
    // Step 21 (client extension outputs): no extension is requested that needs checking.

    // Step 22: the attestation statement format, matched case-sensitively.
    const AttestationVerifier verifyStatement = attestationVerifierFor(attestation->fmt);
    if (!verifyStatement)
        return fail(
            ErrorCode::AttestationInvalid,
            QStringLiteral("attestation format \"%1\" is not supported").arg(attestation->fmt));

    // Step 23: verify attStmt over authData and the client data hash.
    const QDateTime when = effectiveVerificationTime(policy.verificationTime);
    const AttestationInput input{attestation->statement, *authData, clientDataHash, when};
    Result<AttestationVerdict> verdict = verifyStatement(input);
    if (!verdict) // whatever the format found wrong, the statement is what failed
        return fail(
            ErrorCode::AttestationInvalid,
            QStringLiteral("%1 attestation: %2").arg(attestation->fmt, verdict.error().message));

    // Steps 24-25: the trust anchors for this format and this authenticator
    // model, and whether the trust path chains to one of them.
    const TrustAnchors *modelAnchors =
        policy.aaguidTrustAnchors ? policy.aaguidTrustAnchors(credential.aaguid) : nullptr;
    bool rootsGiven = false;
    bool trusted = false;
    for (const TrustAnchors *anchors : {policy.trustAnchors, modelAnchors}) {
        if (!anchors || !anchors->hasRootsFor(attestation->fmt))
            continue;
        rootsGiven = true;
        trusted = trusted || (!verdict->trustPath.isEmpty() &&
                              anchors->chainsToRoot(verdict->trustPath, attestation->fmt, when));
    }
    if (policy.requireChainWhereRootsGiven && rootsGiven && !verdict->trustPath.isEmpty() &&
        !trusted)
        return fail(
            ErrorCode::AttestationInvalid,
            QStringLiteral("%1 attestation (%2) does not chain to the roots configured for it")
                .arg(attestation->fmt, attestationTypeName(verdict->type)));
    // Step 29: verified but untrustworthy attestation is refused only when policy says so.
    if (policy.requireTrustedAttestation && !trusted)
        return fail(ErrorCode::AttestationInvalid,
                    QStringLiteral("%1 attestation (%2) does not chain to a configured root")
                        .arg(attestation->fmt, attestationTypeName(verdict->type)));

    // Step 26: credential ID length (also enforced by the authenticatorData parser).
    if (credential.credentialId.size() > kMaxCredentialIdLength)
        return malformed(
            QStringLiteral("credential ID longer than %1 bytes").arg(kMaxCredentialIdLength));

    // Step 28: what the caller stores as the credential record.
    RegisteredCredential registered;
    registered.credentialId = credential.credentialId;
    registered.publicKeyCose = credential.publicKey.encoded;
    registered.alg = credential.publicKey.alg;
    registered.aaguid = credential.aaguid;
    registered.signCount = authData->signCount;
    registered.flags = authData->flags;
    registered.fmt = attestation->fmt;
    registered.attestationType = verdict->type;
    registered.trusted = trusted;
    registered.trustPath = verdict->trustPath;
    registered.transports = response.transports;
    registered.userVerified = authData->userVerified();
    registered.backupEligible = authData->backupEligible();
    registered.backupState = authData->backupState();
    return registered;
}

} // namespace daarion::webauthn
