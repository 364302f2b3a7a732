// AuthenticationResponseJSON (shared/webauthn/response_json.h) as the body of
// POST /auth/passkey/authenticate/finish, then the whole of §7.2
// (verifyAssertion) against the W3C vectors' credentials, found by rawId as
// the daemon finds a stored passkey (VectorRelyingParty::authenticateResponse).
//
// Properties: an accepted assertion says user present and reports the flags
// and counter of the authenticatorData it was sent.
#include "fuzz/harness.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

using namespace daarion::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    Result<AssertionVerdict> verdict = daarion::fuzz::relyingParty().authenticateResponse(input);
    if (!verdict)
        return 0;
    const QJsonObject response =
        QJsonDocument::fromJson(input).object().value(QLatin1StringView("response")).toObject();
    const auto authData = decodeBase64Url(
        response.value(QLatin1StringView("authenticatorData")).toString().toLatin1());
    FUZZ_CHECK(authData && authData->size() >= 37);
    FUZZ_CHECK(verdict->flags == quint8(authData->at(32)));
    FUZZ_CHECK(verdict->flags & flag::UserPresent);
    FUZZ_CHECK(verdict->signCount == qFromBigEndian<quint32>(authData->constData() + 33));
    return 0;
}
