// attestationObject and every attestation statement format (WebAuthn §8:
// packed, tpm, android-key, android-safetynet, fido-u2f, apple, none), as
// registration (§7.1 steps 13 and 22-24) runs them, under the fixed policy of
// VectorRelyingParty::verifyAttestation: certificates judged at its
// verification time, trust anchored at the W3C vectors' root.
//
// Input: the 32-byte clientDataHash the statement signs over, then the
// attestationObject. Taking the hash from the input (rather than hashing a
// clientDataJSON) keeps the seeds' signatures valid while the fuzzer changes
// everything that is not signed: certificates, extensions, TPM structures.
//
// Properties: a verified statement carries a trust path exactly when its
// type needs one (basic, attca, anonca), of at most kMaxX5cCertificates
// certificates of at most kMaxCertificateSize bytes each; only a trust path
// can be trusted.
#include "fuzz/harness.h"

#include "shared/webauthn/attestation/certificate.h"

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto verified =
        daarion::fuzz::relyingParty().verifyAttestation(daarion::fuzz::inputBytes(data, size));
    if (!verified)
        return 0;
    const AttestationVerdict &verdict = verified->verdict;
    const bool certified = verdict.type == AttestationType::Basic ||
                           verdict.type == AttestationType::AttCA ||
                           verdict.type == AttestationType::AnonCA;
    FUZZ_CHECK(verdict.trustPath.isEmpty() == !certified);
    FUZZ_CHECK(verdict.trustPath.size() <= kMaxX5cCertificates);
    for (const QByteArray &der : verdict.trustPath)
        FUZZ_CHECK(!der.isEmpty() && der.size() <= kMaxCertificateSize);
    FUZZ_CHECK(!verified->trusted || certified);
    return 0;
}
