#include "tests/support/soft_authenticator.h"

#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QUrl>

#include <stdexcept>

namespace daarion::testing
{

using webauthn::decodeBase64Url;
using webauthn::encodeBase64Url;
using webauthn::sha256;

QString attestationFormatName(AttestationFormat format)
{
    switch (format) {
    case AttestationFormat::None:
        return QStringLiteral("none");
    case AttestationFormat::PackedSelf:
    case AttestationFormat::PackedX5c:
        return QStringLiteral("packed");
    case AttestationFormat::FidoU2f:
        return QStringLiteral("fido-u2f");
    }
    return {};
}

namespace
{

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(encodeBase64Url(bytes));
}

QByteArray fromB64(const QJsonValue &value, const char *what)
{
    auto decoded = decodeBase64Url(value.toString().toLatin1());
    if (!value.isString() || !decoded)
        throw std::invalid_argument(
            std::string("soft authenticator: options member is not base64url: ") + what);
    return *decoded;
}

QJsonObject publicKeyOptions(const QJsonObject &options)
{
    return options.value(QLatin1String("publicKey")).isObject()
               ? options.value(QLatin1String("publicKey")).toObject()
               : options;
}

// A browser derives the RP ID from the origin when the options name none.
QString rpIdFor(const QString &fromOptions, const QString &origin)
{
    return fromOptions.isEmpty() ? QUrl(origin).host() : fromOptions;
}

bool wantsUserVerification(const QString &requirement)
{
    return requirement.isEmpty() || requirement == QLatin1String("preferred") ||
           requirement == QLatin1String("required");
}

// A JSON string literal; strings are all clientData holds unless a test adds more.
QByteArray jsonString(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (char c : utf8) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (quint8(c) < 0x20) {
            out += "\\u00";
            out += QByteArray::number(quint8(c), 16).rightJustified(2, '0');
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

QByteArray jsonValueText(const QJsonValue &value)
{
    if (value.isString())
        return jsonString(value.toString());
    if (value.isBool())
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2); // strip the array's brackets
}

// Serialised in the member order browsers use (type, challenge, origin,
// crossOrigin, topOrigin, then anything else), as the verifier sees in practice.
QByteArray serializeClientData(const QJsonObject &clientData)
{
    static const QStringList leading{QStringLiteral("type"), QStringLiteral("challenge"),
                                     QStringLiteral("origin"), QStringLiteral("crossOrigin"),
                                     QStringLiteral("topOrigin")};
    QStringList order;
    for (const QString &key : leading) {
        if (clientData.contains(key))
            order << key;
    }
    for (const QString &key : clientData.keys()) {
        if (!leading.contains(key))
            order << key;
    }
    QByteArray out("{");
    for (const QString &key : order) {
        if (out.size() > 1)
            out += ',';
        out += jsonString(key) + ':' + jsonValueText(clientData.value(key));
    }
    return out + '}';
}

QByteArray makeClientData(const char *type, const QByteArray &challenge, const QString &origin,
                          const SoftTweaks &tweaks)
{
    QJsonObject clientData{{QStringLiteral("type"), QLatin1String(type)},
                           {QStringLiteral("challenge"), b64(challenge)},
                           {QStringLiteral("origin"), origin},
                           {QStringLiteral("crossOrigin"), tweaks.topOrigin.has_value()}};
    if (tweaks.topOrigin)
        clientData.insert(QStringLiteral("topOrigin"), *tweaks.topOrigin);
    if (tweaks.clientData)
        tweaks.clientData(clientData);
    QByteArray bytes = serializeClientData(clientData);
    if (tweaks.clientDataJson)
        tweaks.clientDataJson(bytes);
    return bytes;
}

QByteArray bigEndian32(quint32 value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    return QByteArray(bytes, 4);
}

quint8 applyFlagTweaks(quint8 flags, const SoftTweaks &tweaks)
{
    return quint8((flags | tweaks.setFlags) & ~tweaks.clearFlags);
}

quint8 credentialFlags(const SoftCredential &credential, bool userVerified)
{
    quint8 flags = softflag::UP;
    if (userVerified)
        flags |= softflag::UV;
    if (credential.backupEligible())
        flags |= softflag::BE;
    if (credential.backupState())
        flags |= softflag::BS;
    return flags;
}

std::optional<std::int64_t> chooseAlgorithm(const QJsonArray &params,
                                            const QList<std::int64_t> &supported)
{
    if (params.isEmpty()) // WebAuthn: an empty list means ES256 and RS256
        return supported.contains(softalg::ES256) ? std::optional(softalg::ES256) : std::nullopt;
    for (const QJsonValue &param : params) {
        const auto alg = std::int64_t(param.toObject().value(QLatin1String("alg")).toInteger());
        if (param.toObject().value(QLatin1String("type")).toString() ==
                QLatin1String("public-key") &&
            supported.contains(alg))
            return alg;
    }
    return std::nullopt;
}

QList<QByteArray> credentialIds(const QJsonArray &descriptors)
{
    QList<QByteArray> ids;
    for (const QJsonValue &descriptor : descriptors)
        ids << fromB64(descriptor.toObject().value(QLatin1String("id")),
                       "credential descriptor id");
    return ids;
}

} // namespace

SoftAuthenticator::SoftAuthenticator() : SoftAuthenticator(Config{}) {}

SoftAuthenticator::SoftAuthenticator(Config config) : m_config(std::move(config))
{
    if (m_config.aaguid.isEmpty())
        m_config.aaguid = randomBytes(16);
}

void SoftAuthenticator::ensureAttestationMaterial()
{
    // Called with m_mutex held.
    if (!m_config.attestationKey)
        m_config.attestationKey = generateSoftKey(softalg::ES256);
    if (!m_config.attestationCertificates.isEmpty())
        return;
    if (m_config.attestationCa.isNull())
        m_config.attestationCa = TestCa::createRoot();
    CertificateProfile profile;
    if (m_config.attestation == AttestationFormat::FidoU2f) {
        profile.country.clear(); // U2F batch certificates carry little more than a name
        profile.organization.clear();
        profile.organizationalUnit.clear();
        profile.commonName = QStringLiteral("DAARION Soft U2F Batch");
    } else {
        profile.aaguid = m_config.aaguid;
    }
    m_config.attestationCertificates = {
        m_config.attestationCa.issue(m_config.attestationKey.get(), profile)};
}

TestCa SoftAuthenticator::attestationCa()
{
    QMutexLocker lock(&m_mutex);
    ensureAttestationMaterial();
    return m_config.attestationCa;
}

QList<QByteArray> SoftAuthenticator::attestationCertificates()
{
    QMutexLocker lock(&m_mutex);
    ensureAttestationMaterial();
    return m_config.attestationCertificates + m_config.extraCertificates;
}

CborValue SoftAuthenticator::attestationStatement(const SoftCredential &credential,
                                                  const QByteArray &authData,
                                                  const QByteArray &clientDataHash)
{
    const QByteArray signedData = authData + clientDataHash;
    switch (m_config.attestation) {
    case AttestationFormat::None:
        return CborValue::map();
    case AttestationFormat::PackedSelf:
        return CborValue::map({{"alg", credential.alg()}, {"sig", credential.sign(signedData)}});
    case AttestationFormat::PackedX5c:
    case AttestationFormat::FidoU2f:
        break;
    }

    QList<QByteArray> chain = attestationCertificates();
    EVP_PKEY *attestationKey = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        attestationKey = m_config.attestationKey.get();
    }
    CborValue::Array x5c;
    for (const QByteArray &der : chain)
        x5c.push_back(der);

    if (m_config.attestation == AttestationFormat::PackedX5c) {
        return CborValue::map({{"alg", softalg::ES256},
                               {"sig", softSign(attestationKey, softalg::ES256, signedData)},
                               {"x5c", CborValue::array(std::move(x5c))}});
    }
    // FIDO U2F raw message signature (§8.6): 0x00 || rpIdHash || clientDataHash
    // || credentialId || publicKeyU2F.
    const QByteArray u2fData = QByteArray(1, '\0') + authData.left(32) + clientDataHash +
                               credential.id() + credential.uncompressedPoint();
    return CborValue::map({{"sig", softSign(attestationKey, softalg::ES256, u2fData)},
                           {"x5c", CborValue::array(std::move(x5c))}});
}

SoftRegistration SoftAuthenticator::create(const QJsonObject &optionsJson, const QString &origin,
                                           const SoftTweaks &tweaks)
{
    const QJsonObject options = publicKeyOptions(optionsJson);
    const QJsonObject rp = options.value(QLatin1String("rp")).toObject();
    const QJsonObject user = options.value(QLatin1String("user")).toObject();
    const QString rpId = rpIdFor(rp.value(QLatin1String("id")).toString(), origin);
    const QByteArray challenge = fromB64(options.value(QLatin1String("challenge")), "challenge");
    const QByteArray userHandle = fromB64(user.value(QLatin1String("id")), "user.id");
    const QString uvRequirement = options.value(QLatin1String("authenticatorSelection"))
                                      .toObject()
                                      .value(QLatin1String("userVerification"))
                                      .toString();

    SoftRegistration result;
    {
        QMutexLocker lock(&m_mutex);
        for (const QByteArray &id :
             credentialIds(options.value(QLatin1String("excludeCredentials")).toArray())) {
            if (m_byId.contains(id) && m_byId.value(id).rpId() == rpId) {
                result.domError = QStringLiteral("InvalidStateError");
                return result;
            }
        }
    }

    const bool u2f = m_config.attestation == AttestationFormat::FidoU2f;
    std::optional<std::int64_t> alg = tweaks.algorithm;
    if (!alg) {
        QList<std::int64_t> supported = m_config.algorithms;
        if (u2f) // a U2F device makes P-256 keys only
            supported.removeIf([](std::int64_t a) { return a != softalg::ES256; });
        alg =
            chooseAlgorithm(options.value(QLatin1String("pubKeyCredParams")).toArray(), supported);
    }
    if (!alg) {
        result.domError = QStringLiteral("NotSupportedError");
        return result;
    }
    if (u2f && *alg != softalg::ES256)
        throw std::invalid_argument(
            "soft authenticator: fido-u2f attestation needs an ES256 credential");

    SoftCredential credential = SoftCredential::generate(*alg, rpId, userHandle);
    if (tweaks.credentialId)
        credential.setId(*tweaks.credentialId);
    credential.setBackupFlags(m_config.backupEligible, m_config.backupState);
    credential.setCounterMode(m_config.counterMode);
    credential.setSignCount(m_config.initialSignCount);

    result.credential = credential;
    result.clientDataJson = makeClientData("webauthn.create", challenge, origin, tweaks);
    const QByteArray clientDataHash = sha256(result.clientDataJson);

    CborValue coseKey = credential.coseKeyValue();
    if (tweaks.coseKey)
        tweaks.coseKey(coseKey);
    const QByteArray credentialId = credential.id();
    const quint8 flags =
        applyFlagTweaks(credentialFlags(credential, m_config.userVerifying &&
                                                        wantsUserVerification(uvRequirement)) |
                            softflag::AT,
                        tweaks);
    QByteArray authData = sha256(rpId.toUtf8());
    authData += char(flags);
    authData += bigEndian32(credential.signCount());
    authData += u2f ? QByteArray(16, '\0') : m_config.aaguid;
    authData += char(credentialId.size() >> 8);
    authData += char(credentialId.size() & 0xff);
    authData += credentialId;
    authData += coseKey.encode();
    if (tweaks.authenticatorData)
        tweaks.authenticatorData(authData);
    result.authenticatorData = authData;

    // CTAP2 canonical order: fmt, attStmt, authData (shorter keys first).
    CborValue attestationObject =
        CborValue::map({{"fmt", attestationFormatName(m_config.attestation)},
                        {"attStmt", attestationStatement(credential, authData, clientDataHash)},
                        {"authData", authData}});
    if (tweaks.attestationObject)
        tweaks.attestationObject(attestationObject);
    result.attestationObject = attestationObject.encode();
    if (tweaks.attestationObjectBytes)
        tweaks.attestationObjectBytes(result.attestationObject);

    QJsonArray transports;
    for (const QString &transport : m_config.transports)
        transports.append(transport);
    const QJsonObject response{
        {QStringLiteral("clientDataJSON"), b64(result.clientDataJson)},
        {QStringLiteral("attestationObject"), b64(result.attestationObject)},
        {QStringLiteral("authenticatorData"), b64(result.authenticatorData)},
        {QStringLiteral("transports"), transports},
        {QStringLiteral("publicKeyAlgorithm"), qint64(*alg)},
        {QStringLiteral("publicKey"), b64(credential.subjectPublicKeyInfo())}};
    QJsonObject extensionResults;
    if (options.value(QLatin1String("extensions"))
            .toObject()
            .value(QLatin1String("credProps"))
            .toBool())
        extensionResults.insert(QStringLiteral("credProps"),
                                QJsonObject{{QStringLiteral("rk"), true}});
    result.json = QJsonObject{{QStringLiteral("id"), b64(credentialId)},
                              {QStringLiteral("rawId"), b64(credentialId)},
                              {QStringLiteral("type"), QStringLiteral("public-key")},
                              {QStringLiteral("response"), response},
                              {QStringLiteral("clientExtensionResults"), extensionResults},
                              {QStringLiteral("authenticatorAttachment"), m_config.attachment}};
    if (tweaks.responseJson)
        tweaks.responseJson(result.json);

    addCredential(credential);
    return result;
}

SoftAssertion SoftAuthenticator::get(const QJsonObject &optionsJson, const QString &origin,
                                     const SoftTweaks &tweaks)
{
    const QJsonObject options = publicKeyOptions(optionsJson);
    const QString rpId = rpIdFor(options.value(QLatin1String("rpId")).toString(), origin);
    const QByteArray challenge = fromB64(options.value(QLatin1String("challenge")), "challenge");
    const QList<QByteArray> allowed =
        credentialIds(options.value(QLatin1String("allowCredentials")).toArray());

    SoftAssertion result;
    SoftCredential credential = tweaks.credential;
    if (credential.isNull()) {
        QMutexLocker lock(&m_mutex);
        if (allowed.isEmpty()) {
            for (auto it = m_ordered.crbegin(); it != m_ordered.crend() && credential.isNull();
                 ++it) {
                if (it->rpId() == rpId)
                    credential = *it;
            }
        }
        for (const QByteArray &id : allowed) {
            const SoftCredential candidate = m_byId.value(id);
            if (!candidate.isNull() && candidate.rpId() == rpId) {
                credential = candidate;
                break;
            }
        }
    }
    if (credential.isNull()) {
        result.domError = QStringLiteral("NotAllowedError");
        return result;
    }

    result.credential = credential;
    result.clientDataJson = makeClientData("webauthn.get", challenge, origin, tweaks);
    const QString uvRequirement = options.value(QLatin1String("userVerification")).toString();
    const quint8 flags = applyFlagTweaks(
        credentialFlags(credential, m_config.userVerifying && wantsUserVerification(uvRequirement)),
        tweaks);
    QByteArray authData = sha256(rpId.toUtf8());
    authData.reserve(37);
    authData += char(flags);
    authData += bigEndian32(credential.nextSignCount());
    if (tweaks.authenticatorData)
        tweaks.authenticatorData(authData);
    result.authenticatorData = authData;

    result.signature = credential.sign(authData + sha256(result.clientDataJson));
    if (tweaks.signature)
        tweaks.signature(result.signature);

    if (m_config.returnsUserHandle && !credential.userHandle().isEmpty())
        result.userHandle = credential.userHandle();
    if (tweaks.userHandle)
        result.userHandle = tweaks.userHandle->isEmpty() ? std::nullopt : tweaks.userHandle;

    const QByteArray credentialId = credential.id();
    QJsonObject response{{QStringLiteral("clientDataJSON"), b64(result.clientDataJson)},
                         {QStringLiteral("authenticatorData"), b64(authData)},
                         {QStringLiteral("signature"), b64(result.signature)}};
    if (result.userHandle)
        response.insert(QStringLiteral("userHandle"), b64(*result.userHandle));
    result.json = QJsonObject{{QStringLiteral("id"), b64(credentialId)},
                              {QStringLiteral("rawId"), b64(credentialId)},
                              {QStringLiteral("type"), QStringLiteral("public-key")},
                              {QStringLiteral("response"), response},
                              {QStringLiteral("clientExtensionResults"), QJsonObject()},
                              {QStringLiteral("authenticatorAttachment"), m_config.attachment}};
    if (tweaks.responseJson)
        tweaks.responseJson(result.json);
    return result;
}

void SoftAuthenticator::addCredential(const SoftCredential &credential)
{
    QMutexLocker lock(&m_mutex);
    const QByteArray id = credential.id();
    if (m_byId.contains(id))
        m_ordered.removeAll(m_byId.value(id));
    m_byId.insert(id, credential);
    m_ordered.append(credential);
}

QList<SoftCredential> SoftAuthenticator::credentials() const
{
    QMutexLocker lock(&m_mutex);
    return m_ordered;
}

SoftCredential SoftAuthenticator::credential(const QByteArray &id) const
{
    QMutexLocker lock(&m_mutex);
    return m_byId.value(id);
}

} // namespace daarion::testing
