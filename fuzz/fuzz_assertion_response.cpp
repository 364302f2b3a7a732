// AuthenticationResponseJSON (shared/webauthn/response_json.h) as the body of
// POST /auth/passkey/authenticate/finish, then the whole of §7.2
// (verifyAssertion) against the W3C vectors' credentials, found by rawId as
// the daemon finds a stored passkey; the relying party issued whatever
// challenge the clientDataJSON names.
//
// Properties: an accepted assertion names a stored credential, says user
// present, and reports the counter and flags of its authenticatorData.
#include "fuzz/harness.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/response_json.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(daarion::fuzz::inputBytes(data, size));
    if (!document.isObject())
        return 0;
    Result<AssertionResponse> response = assertionResponseFromJson(document.object());
    if (!response)
        return 0;
    const std::optional<AssertionPolicy> policy = daarion::fuzz::relyingParty().assertionPolicy(
        daarion::testing::challengeNamedIn(response->clientDataJSON), response->rawId);
    if (!policy)
        return 0;
    Result<AssertionVerdict> verdict = verifyAssertion(*response, *policy);
    if (!verdict)
        return 0;
    const QByteArray &authData = response->authenticatorData;
    FUZZ_CHECK(authData.size() >= 37);
    FUZZ_CHECK(verdict->flags == quint8(authData[32]));
    FUZZ_CHECK(verdict->flags & flag::UserPresent);
    FUZZ_CHECK(verdict->signCount == qFromBigEndian<quint32>(authData.constData() + 33));
    return 0;
}
