#pragma once
// Reading an attestation statement (attStmt) map against its format's CDDL:
// only the members the CDDL names, each of the type it names. Shared by the
// format files so each one reads as the spec's steps.

#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>

#include <cbor.h>

#include <cstdint>
#include <initializer_list>

namespace daarion::webauthn {

// attStmt is a definite map whose keys are all text and all among `members`.
Check checkStatementMembers(const cbor_item_t *statement,
                            std::initializer_list<QLatin1StringView> members, const QString &fmt);

// A required member of the given type; AttestationInvalid when absent or mistyped.
Result<std::int64_t> statementInteger(const cbor_item_t *statement, QLatin1StringView member,
                                      const QString &fmt);
Result<QByteArray> statementBytes(const cbor_item_t *statement, QLatin1StringView member,
                                  const QString &fmt);
Result<QString> statementText(const cbor_item_t *statement, QLatin1StringView member,
                              const QString &fmt);

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
