// attestationObject and every attestation statement format (WebAuthn §8:
// packed, tpm, android-key, android-safetynet, fido-u2f, apple, none), as
// registration (§7.1 steps 13 and 22-24) runs them, under a fixed policy:
// certificates judged at VectorRelyingParty::verificationTime(), trust
// anchored at the W3C vectors' root.
//
// Input: the 32-byte clientDataHash the statement signs over, then the
// attestationObject. Taking the hash from the input (rather than hashing a
// clientDataJSON) keeps the seeds' signatures valid while the fuzzer changes
// everything that is not signed: certificates, extensions, TPM structures.
//
// Properties: a verified statement carries a trust path exactly when its
// type needs one (basic, attca, anonca), every certificate in it at most
// kMaxCertificateSize bytes and at most kMaxX5cCertificates of them.
#include "fuzz/harness.h"

#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    if (input.size() < 32)
        return 0;
    const QByteArray clientDataHash = input.first(32);
    Result<AttestationObject> attestation = parseAttestationObject(input.sliced(32));
    if (!attestation)
        return 0;
    Result<AuthenticatorData> authData = parseAuthenticatorData(attestation->authData);
    if (!authData)
        return 0;
    const AttestationVerifier verify = attestationVerifierFor(attestation->fmt);
    if (!verify)
        return 0;
    const QDateTime when = daarion::testing::VectorRelyingParty::verificationTime();
    Result<AttestationVerdict> verdict =
        verify(AttestationInput{attestation->statement, *authData, clientDataHash, when});
    if (!verdict)
        return 0;
    const bool certified = verdict->type == AttestationType::Basic ||
                           verdict->type == AttestationType::AttCA ||
                           verdict->type == AttestationType::AnonCA;
    FUZZ_CHECK(verdict->trustPath.isEmpty() == !certified);
    FUZZ_CHECK(verdict->trustPath.size() <= kMaxX5cCertificates);
    for (const QByteArray &der : verdict->trustPath)
        FUZZ_CHECK(!der.isEmpty() && der.size() <= kMaxCertificateSize);
    if (certified)
        daarion::fuzz::relyingParty().trustAnchors().chainsToRoot(verdict->trustPath,
                                                                  attestation->fmt, when);
    return 0;
}
