#include "tests/support/ceremony_fixture.h"

#include "shared/webauthn/bytes.h"
#include "shared/webauthn/response_json.h"

#include <QJsonArray>

namespace daarion::testing
{

using namespace webauthn;

namespace
{

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(encodeBase64Url(bytes));
}

const QList<std::int64_t> kOfferedAlgorithms{softalg::EdDSA, softalg::ES256, softalg::RS256};

} // namespace

RegistrationCeremony CeremonyFixture::registration(const QByteArray &userHandle)
{
    const QByteArray challenge = randomBytes(32);
    QJsonArray params;
    for (std::int64_t alg : kOfferedAlgorithms)
        params.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("public-key")},
                                  {QStringLiteral("alg"), qint64(alg)}});
    RegistrationCeremony ceremony;
    ceremony.options = QJsonObject{
        {QStringLiteral("challenge"), b64(challenge)},
        {QStringLiteral("rp"), QJsonObject{{QStringLiteral("name"), QStringLiteral("DAARION")},
                                           {QStringLiteral("id"), kRpId}}},
        {QStringLiteral("user"),
         QJsonObject{{QStringLiteral("id"), b64(userHandle)},
                     {QStringLiteral("name"), QStringLiteral("alice")},
                     {QStringLiteral("displayName"), QStringLiteral("Alice")}}},
        {QStringLiteral("pubKeyCredParams"), params},
        {QStringLiteral("timeout"), 60000},
        {QStringLiteral("excludeCredentials"), QJsonArray()},
        {QStringLiteral("authenticatorSelection"),
         QJsonObject{{QStringLiteral("residentKey"), QStringLiteral("required")},
                     {QStringLiteral("requireResidentKey"), true},
                     {QStringLiteral("userVerification"), QStringLiteral("preferred")}}},
        {QStringLiteral("attestation"), QStringLiteral("direct")},
        {QStringLiteral("extensions"), QJsonObject{{QStringLiteral("credProps"), true}}}};
    ceremony.policy.challenge = challenge;
    ceremony.policy.rpId = kRpId;
    ceremony.policy.allowedOrigins = {kOrigin};
    ceremony.policy.allowedTopOrigins = {kTopOrigin};
    ceremony.policy.allowedAlgorithms = kOfferedAlgorithms;
    return ceremony;
}

AssertionCeremony CeremonyFixture::assertion(const RegisteredCredential &record,
                                             const QByteArray &ownerHandle)
{
    const QByteArray challenge = randomBytes(32);
    AssertionCeremony ceremony;
    ceremony.options =
        QJsonObject{{QStringLiteral("challenge"), b64(challenge)},
                    {QStringLiteral("timeout"), 60000},
                    {QStringLiteral("rpId"), kRpId},
                    {QStringLiteral("allowCredentials"),
                     QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("public-key")},
                                            {QStringLiteral("id"), b64(record.credentialId)}}}},
                    {QStringLiteral("userVerification"), QStringLiteral("preferred")}};
    AssertionPolicy &policy = ceremony.policy;
    policy.challenge = challenge;
    policy.rpId = kRpId;
    policy.allowedOrigins = {kOrigin};
    policy.allowedTopOrigins = {kTopOrigin};
    policy.credentialId = record.credentialId;
    policy.publicKeyCose = record.publicKeyCose;
    policy.storedSignCount = record.signCount;
    policy.storedBackupEligible = record.backupEligible;
    policy.userHandle = ownerHandle;
    return ceremony;
}

Result<RegisteredCredential> CeremonyFixture::verify(const SoftRegistration &registration,
                                                     const RegistrationPolicy &policy)
{
    Result<RegistrationResponse> response = registrationResponseFromJson(registration.json);
    if (!response)
        return response.error();
    return verifyRegistration(*response, policy);
}

Result<AssertionVerdict> CeremonyFixture::verify(const SoftAssertion &assertion,
                                                 const AssertionPolicy &policy)
{
    Result<AssertionResponse> response = assertionResponseFromJson(assertion.json);
    if (!response)
        return response.error();
    return verifyAssertion(*response, policy);
}

} // namespace daarion::testing
