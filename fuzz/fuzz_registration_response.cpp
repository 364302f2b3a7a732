// RegistrationResponseJSON (shared/webauthn/response_json.h) as the body of
// POST /auth/passkey/register/finish, then the whole of §7.1
// (verifyRegistration), as VectorRelyingParty::registerResponse runs them.
//
// Properties: a registered credential is the one the response's rawId names,
// with a key that parses again from the bytes to be stored, a 16-byte AAGUID
// and flags that say user present.
#include "fuzz/harness.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cose_key.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    Result<RegisteredCredential> registered = daarion::fuzz::relyingParty().registerResponse(input);
    if (!registered)
        return 0;
    const auto rawId = decodeBase64Url(QJsonDocument::fromJson(input)
                                           .object()
                                           .value(QLatin1StringView("rawId"))
                                           .toString()
                                           .toLatin1());
    FUZZ_CHECK(rawId && registered->credentialId == *rawId);
    FUZZ_CHECK(registered->aaguid.size() == 16);
    FUZZ_CHECK(registered->flags & flag::UserPresent);
    Result<CoseKey> stored = parseCoseKey(registered->publicKeyCose);
    FUZZ_CHECK(stored.ok() && stored->alg == registered->alg);
    return 0;
}
