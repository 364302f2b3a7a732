// RegistrationResponseJSON (shared/webauthn/response_json.h) as the body of
// POST /auth/passkey/register/finish, then the whole of §7.1
// (verifyRegistration) for the W3C vectors' relying party, which issued
// whatever challenge the clientDataJSON names.
//
// Properties: a registered credential is the one the response named (rawId),
// with a key that parses again from the bytes to be stored, a 16-byte AAGUID
// and a flag set that says user present.
#include "fuzz/harness.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/response_json.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(daarion::fuzz::inputBytes(data, size));
    if (!document.isObject())
        return 0;
    Result<RegistrationResponse> response = registrationResponseFromJson(document.object());
    if (!response)
        return 0;
    const RegistrationPolicy policy = daarion::fuzz::relyingParty().registrationPolicy(
        daarion::testing::challengeNamedIn(response->clientDataJSON));
    Result<RegisteredCredential> registered = verifyRegistration(*response, policy);
    if (!registered)
        return 0;
    FUZZ_CHECK(registered->credentialId == response->rawId);
    FUZZ_CHECK(registered->aaguid.size() == 16);
    FUZZ_CHECK(registered->flags & flag::UserPresent);
    Result<CoseKey> stored = parseCoseKey(registered->publicKeyCose);
    FUZZ_CHECK(stored.ok() && stored->alg == registered->alg);
    return 0;
}
