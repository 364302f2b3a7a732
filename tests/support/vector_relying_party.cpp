#include "tests/support/vector_relying_party.h"

#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/client_data.h"
#include "shared/webauthn/response_json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <stdexcept>

namespace daarion::testing
{

using namespace webauthn;

namespace
{

QByteArray base64UrlMember(const QJsonObject &object, const char *name)
{
    const auto decoded =
        decodeBase64Url(object.value(QLatin1StringView(name)).toString().toLatin1());
    if (!decoded)
        throw std::runtime_error(std::string("vector member is not base64url: ") + name);
    return *decoded;
}

W3cVector readVector(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    W3cVector vector;
    vector.name = QFileInfo(path).completeBaseName();
    vector.json = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject registration =
        vector.json.value(QLatin1StringView("registration")).toObject();
    const QJsonObject authentication =
        vector.json.value(QLatin1StringView("authentication")).toObject();
    vector.creationClientData = base64UrlMember(registration, "clientDataJSON");
    vector.attestationObject = base64UrlMember(registration, "attestationObject");
    vector.requestClientData = base64UrlMember(authentication, "clientDataJSON");
    vector.assertionAuthData = base64UrlMember(authentication, "authenticatorData");
    vector.signature = base64UrlMember(authentication, "signature");

    Result<AttestationObject> attestation = parseAttestationObject(vector.attestationObject);
    if (!attestation)
        throw std::runtime_error("vector " + path.toStdString() + ": " +
                                 attestation.error().message.toStdString());
    vector.authData = attestation->authData;
    Result<AuthenticatorData> authData = parseAuthenticatorData(attestation->authData);
    if (!authData || !authData->attestedCredential)
        throw std::runtime_error("vector " + path.toStdString() + ": no attested credential");
    vector.credentialId = authData->attestedCredential->credentialId;
    vector.publicKeyCose = authData->attestedCredential->publicKey.encoded;
    vector.backupEligible = authData->backupEligible();
    return vector;
}

QString base64Url(const QByteArray &bytes)
{
    return QString::fromLatin1(encodeBase64Url(bytes));
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The challenge a clientDataJSON names (empty when it names none): the one
// this relying party issued, as far as it knows.
QByteArray challengeNamedIn(const QByteArray &clientDataJson)
{
    Result<ClientData> clientData = parseClientData(clientDataJson);
    return clientData ? clientData->challenge : QByteArray();
}

} // namespace

QByteArray W3cVector::registrationResponseJson() const
{
    return compact(
        {{QStringLiteral("id"), base64Url(credentialId)},
         {QStringLiteral("rawId"), base64Url(credentialId)},
         {QStringLiteral("type"), QStringLiteral("public-key")},
         {QStringLiteral("response"),
          QJsonObject{{QStringLiteral("clientDataJSON"), base64Url(creationClientData)},
                      {QStringLiteral("attestationObject"), base64Url(attestationObject)},
                      {QStringLiteral("transports"),
                       QJsonArray{QStringLiteral("usb"), QStringLiteral("nfc")}}}},
         {QStringLiteral("clientExtensionResults"), QJsonObject{}},
         {QStringLiteral("authenticatorAttachment"), QStringLiteral("cross-platform")}});
}

QByteArray W3cVector::authenticationResponseJson(const std::optional<QByteArray> &userHandle) const
{
    QJsonObject response{{QStringLiteral("clientDataJSON"), base64Url(requestClientData)},
                         {QStringLiteral("authenticatorData"), base64Url(assertionAuthData)},
                         {QStringLiteral("signature"), base64Url(signature)}};
    if (userHandle)
        response.insert(QStringLiteral("userHandle"), base64Url(*userHandle));
    return compact({{QStringLiteral("id"), base64Url(credentialId)},
                    {QStringLiteral("rawId"), base64Url(credentialId)},
                    {QStringLiteral("type"), QStringLiteral("public-key")},
                    {QStringLiteral("response"), response},
                    {QStringLiteral("clientExtensionResults"), QJsonObject{}}});
}

QDateTime VectorRelyingParty::verificationTime()
{
    return QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
}

VectorRelyingParty::VectorRelyingParty(const QString &dataDirectory)
{
    const QDir directory(dataDirectory + QStringLiteral("/vectors/w3c"));
    for (const QString &file :
         directory.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        W3cVector vector = readVector(directory.filePath(file));
        const QJsonValue root =
            vector.json.value(QLatin1StringView("attestation_trust_root_der_b64url"));
        if (root.isString())
            m_anchors.addRoot(base64UrlMember(vector.json, "attestation_trust_root_der_b64url"));
        m_vectors.append(std::move(vector));
    }
    if (m_vectors.isEmpty())
        throw std::runtime_error("no W3C vectors in " + directory.path().toStdString());
}

RegistrationPolicy VectorRelyingParty::registrationPolicy(const QByteArray &challenge) const
{
    RegistrationPolicy policy;
    policy.challenge = challenge;
    policy.rpId = kRpId;
    policy.allowedOrigins = {kOrigin};
    policy.allowedTopOrigins = {kTopOrigin};
    policy.trustAnchors = &m_anchors;
    policy.verificationTime = verificationTime();
    return policy;
}

std::optional<AssertionPolicy>
VectorRelyingParty::assertionPolicy(const QByteArray &challenge,
                                    const QByteArray &credentialId) const
{
    for (const W3cVector &vector : m_vectors) {
        if (vector.credentialId != credentialId)
            continue;
        AssertionPolicy policy;
        policy.challenge = challenge;
        policy.rpId = kRpId;
        policy.allowedOrigins = {kOrigin};
        policy.allowedTopOrigins = {kTopOrigin};
        policy.credentialId = vector.credentialId;
        policy.publicKeyCose = vector.publicKeyCose;
        policy.storedBackupEligible = vector.backupEligible;
        policy.userHandle = kUserHandle;
        return policy;
    }
    return std::nullopt;
}

Result<RegisteredCredential> VectorRelyingParty::registerResponse(const QByteArray &json) const
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return fail(ErrorCode::InvalidRequest, QStringLiteral("not a JSON object"));
    Result<RegistrationResponse> response = registrationResponseFromJson(document.object());
    if (!response)
        return response.error();
    return verifyRegistration(*response,
                              registrationPolicy(challengeNamedIn(response->clientDataJSON)));
}

Result<AssertionVerdict> VectorRelyingParty::authenticateResponse(const QByteArray &json) const
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return fail(ErrorCode::InvalidRequest, QStringLiteral("not a JSON object"));
    Result<AssertionResponse> response = assertionResponseFromJson(document.object());
    if (!response)
        return response.error();
    const std::optional<AssertionPolicy> policy =
        assertionPolicy(challengeNamedIn(response->clientDataJSON), response->rawId);
    if (!policy)
        return fail(ErrorCode::UnknownCredential,
                    QStringLiteral("no stored credential has this rawId"));
    return verifyAssertion(*response, *policy);
}

Result<VectorRelyingParty::VerifiedAttestation>
VectorRelyingParty::verifyAttestation(const QByteArray &hashAndObject) const
{
    if (hashAndObject.size() < 32)
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("shorter than a clientDataHash"));
    Result<AttestationObject> attestation = parseAttestationObject(hashAndObject.sliced(32));
    if (!attestation)
        return attestation.error();
    Result<AuthenticatorData> authData = parseAuthenticatorData(attestation->authData);
    if (!authData)
        return authData.error();
    const AttestationVerifier verify = attestationVerifierFor(attestation->fmt);
    if (!verify)
        return fail(ErrorCode::AttestationInvalid, QStringLiteral("unknown format"));
    Result<AttestationVerdict> verdict = verify(AttestationInput{
        attestation->statement, *authData, hashAndObject.first(32), verificationTime()});
    if (!verdict)
        return verdict.error();
    const bool trusted =
        !verdict->trustPath.isEmpty() &&
        m_anchors.chainsToRoot(verdict->trustPath, attestation->fmt, verificationTime());
    return VerifiedAttestation{attestation->fmt, *verdict, trusted};
}

} // namespace daarion::testing
