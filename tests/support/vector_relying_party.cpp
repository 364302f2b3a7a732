#include "tests/support/vector_relying_party.h"

#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/client_data.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
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
    Result<AttestationObject> attestation =
        parseAttestationObject(base64UrlMember(registration, "attestationObject"));
    if (!attestation)
        throw std::runtime_error("vector " + path.toStdString() + ": " +
                                 attestation.error().message.toStdString());
    Result<AuthenticatorData> authData = parseAuthenticatorData(attestation->authData);
    if (!authData || !authData->attestedCredential)
        throw std::runtime_error("vector " + path.toStdString() + ": no attested credential");
    vector.credentialId = authData->attestedCredential->credentialId;
    vector.publicKeyCose = authData->attestedCredential->publicKey.encoded;
    vector.backupEligible = authData->backupEligible();
    return vector;
}

} // namespace

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

QByteArray challengeNamedIn(const QByteArray &clientDataJson)
{
    Result<ClientData> clientData = parseClientData(clientDataJson);
    return clientData ? clientData->challenge : QByteArray();
}

} // namespace daarion::testing
