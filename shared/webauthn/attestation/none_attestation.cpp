// "none" attestation statement format, WebAuthn Level 3 §8.7.
//
//   $$attStmtType //= ( fmt: "none", attStmt: emptyStmtFormat )
//   emptyStmtFormat = {}
//
// Nothing is attested, so any AAGUID is accepted and the type is None. Unlike
// the signed formats (statement_fields.h), no member at all is allowed: the
// CDDL is the empty map, and py_webauthn and SimpleWebAuthn refuse more.
#include "shared/webauthn/attestation/attestation_statement.h"

namespace daarion::webauthn
{

Result<AttestationVerdict> verifyNoneAttestation(const AttestationInput &input)
{
    // Step 1 (the only one): attStmt is the empty map.
    if (!input.statement || !cbor_isa_map(input.statement) || cbor_map_size(input.statement) != 0)
        return fail(ErrorCode::AttestationInvalid,
                    QStringLiteral("none: attStmt must be the empty map"));
    // Step 2: None, empty trust path.
    return AttestationVerdict{AttestationType::None, {}};
}

} // namespace daarion::webauthn
