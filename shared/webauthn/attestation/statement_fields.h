#pragma once
// Reading an attestation statement (attStmt) map against its format's CDDL,
// shared by the format files so each one decodes into its own struct and
// then reads as the spec's steps.
//
// Members a format's CDDL does not name (decided here, once, for every format):
// - attStmt is a definite map of at most kMaxStatementMembers members whose
//   keys are all text (the CDDL's keys are text; anything else is malformed);
// - a member the format's CDDL does not name is ignored, as py_webauthn,
//   SimpleWebAuthn, java-webauthn-server and go-webauthn ignore it: no step
//   of §8 reads it, and what is signed is authenticatorData and
//   clientDataHash, never attStmt, so it cannot change a verdict;
// - except "ecdaaKeyId" (ECDAA attestation, WebAuthn Level 1 only), refused in
//   every format: ignoring it would read an ECDAA statement as another type;
// - and "none", whose CDDL is exactly {} (emptyStmtFormat): any member is
//   refused there, as py_webauthn and SimpleWebAuthn refuse it.

#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>

#include <cbor.h>

#include <cstdint>
#include <optional>

namespace daarion::webauthn
{

// Real statements have two to six members.
inline constexpr size_t kMaxStatementMembers = 16;

// The unknown-member rule above: a definite map, text keys, no ecdaaKeyId.
Check checkStatementKeys(const cbor_item_t *statement, const QString &fmt);

// A member of the given type: nothing when absent, AttestationInvalid when
// present with another type.
Result<std::optional<std::int64_t>> optionalInteger(const cbor_item_t *statement,
                                                    QLatin1StringView member, const QString &fmt);
Result<std::optional<QByteArray>> optionalBytes(const cbor_item_t *statement,
                                                QLatin1StringView member, const QString &fmt);
// The same, required: AttestationInvalid when absent or mistyped.
Result<std::int64_t> statementInteger(const cbor_item_t *statement, QLatin1StringView member,
                                      const QString &fmt);
Result<QByteArray> statementBytes(const cbor_item_t *statement, QLatin1StringView member,
                                  const QString &fmt);
Result<QString> statementText(const cbor_item_t *statement, QLatin1StringView member,
                              const QString &fmt);

// Whether a format's CDDL has alg, sig and x5c.
enum class Presence { Absent, Optional, Required };
struct SignedStatementSyntax {
    Presence alg = Presence::Absent;
    Presence sig = Presence::Absent;
    Presence x5c = Presence::Absent;
};

// The prologue packed, tpm, android-key, fido-u2f and apple share: the key
// rule, then alg, sig and x5c as the syntax says. x5c is parsed (1..8 DER
// certificates) and every certificate must be valid at the verification time.
struct SignedMembers {
    std::optional<std::int64_t> alg;
    std::optional<QByteArray> sig;
    std::optional<CertificateChain> x5c;
};
Result<SignedMembers> decodeSignedMembers(const AttestationInput &input,
                                          const SignedStatementSyntax &syntax, const QString &fmt);

// The attested credential every format speaks about (authData's AT data).
Result<const AttestedCredentialData *> attestedCredential(const AttestationInput &input,
                                                          const QString &fmt);

// authenticatorData || clientDataHash: what packed, tpm, android-key and
// apple attest to (§8: "attToBeSigned" / "nonceToHash").
QByteArray attestedBytes(const AttestationInput &input);

// `signature` over `data` by `key` with COSE `alg`, where `alg` must name the
// key's type (and curve). Every failure is AttestationInvalid: a statement
// signature that does not verify is a bad attestation, not a bad assertion.
Check verifyStatementSignature(EVP_PKEY *key, std::int64_t alg, QByteArrayView data,
                               QByteArrayView signature, const QString &fmt,
                               AllowRs1 rs1 = AllowRs1::No);

} // namespace daarion::webauthn
