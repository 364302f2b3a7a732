// "none" attestation (WebAuthn §8.7): attStmt is the empty map; nothing is
// attested, so any AAGUID is accepted and the type is None.
#include "shared/webauthn/attestation/attestation_statement.h"

namespace daarion::webauthn {

Result<AttestationVerdict> verifyNoneAttestation(const AttestationInput &input)
{
    if (!input.statement || !cbor_isa_map(input.statement) || cbor_map_size(input.statement) != 0)
        return fail(ErrorCode::AttestationInvalid, QStringLiteral("fmt \"none\" requires an empty attStmt map"));
    return AttestationVerdict{AttestationType::None, {}};
}

} // namespace daarion::webauthn
