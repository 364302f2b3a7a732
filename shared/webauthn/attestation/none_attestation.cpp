// Placeholder until this format lands; replace this file whole.
#include "shared/webauthn/attestation/attestation_statement.h"

namespace daarion::webauthn {

Result<AttestationVerdict> verifyNoneAttestation(const AttestationInput &)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("format not implemented yet"));
}

} // namespace daarion::webauthn
