// authenticatorData (shared/webauthn/authenticator_data.h), as registration
// and every assertion send it.
//
// Properties: an accepted structure keeps its exact bytes, a 32-byte
// rpIdHash and the flags and counter at their fixed offsets; attested
// credential data is present exactly when AT is set, with a 16-byte AAGUID, a
// credential ID of 1..kMaxCredentialIdLength bytes and a parsed key;
// extensions are present exactly when ED is set.
#include "fuzz/harness.h"

#include "shared/webauthn/authenticator_data.h"

#include <QtEndian>

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    Result<AuthenticatorData> parsed = parseAuthenticatorData(input);
    if (!parsed)
        return 0;
    FUZZ_CHECK(parsed->raw == input);
    FUZZ_CHECK(input.size() >= 37);
    FUZZ_CHECK(parsed->rpIdHash == input.first(32));
    FUZZ_CHECK(parsed->flags == quint8(input[32]));
    FUZZ_CHECK(parsed->signCount == qFromBigEndian<quint32>(input.constData() + 33));
    const bool attested = parsed->flags & flag::AttestedCredentialData;
    FUZZ_CHECK(parsed->attestedCredential.has_value() == attested);
    if (attested) {
        const AttestedCredentialData &credential = *parsed->attestedCredential;
        FUZZ_CHECK(credential.aaguid.size() == 16);
        FUZZ_CHECK(!credential.credentialId.isEmpty() &&
                   credential.credentialId.size() <= kMaxCredentialIdLength);
        FUZZ_CHECK(credential.publicKey.pkey != nullptr);
        FUZZ_CHECK(input.contains(credential.publicKey.encoded));
    }
    FUZZ_CHECK(parsed->extensions.isEmpty() == !(parsed->flags & flag::ExtensionData));
    return 0;
}
