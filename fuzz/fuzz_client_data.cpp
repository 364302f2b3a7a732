// clientDataJSON (shared/webauthn/client_data.h): the JSON a browser writes
// and the authenticator signs over, read from its exact bytes.
//
// Properties: an accepted input is at most kMaxClientDataLength bytes, is
// kept as sent, and its hash is SHA-256 of those bytes.
#include "fuzz/harness.h"

#include "shared/webauthn/bytes.h"
#include "shared/webauthn/client_data.h"

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    Result<ClientData> parsed = parseClientData(input);
    if (!parsed)
        return 0;
    FUZZ_CHECK(input.size() <= kMaxClientDataLength);
    FUZZ_CHECK(parsed->raw == input);
    FUZZ_CHECK(parsed->hash == sha256(input));
    return 0;
}
