// RegistrationResponseJSON / AuthenticationResponseJSON (WebAuthn L3 §5.1):
// members read with their types checked, sizes bounded before decoding.
#include "shared/webauthn/response_json.h"

#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/client_data.h"

#include <QJsonArray>

namespace daarion::webauthn {

namespace {

constexpr qsizetype kMaxShortStringLength = 64; // type, transports, authenticatorAttachment

// base64url text of at most `maxBytes` decoded bytes.
qsizetype base64UrlLength(qsizetype maxBytes) { return (maxBytes * 4 + 2) / 3; }

class JsonReader
{
public:
    explicit JsonReader(const QJsonObject &object, QString path = {}) : m_object(object), m_path(std::move(path)) {}

    Result<QString> string(const char *name, qsizetype maxLength) const
    {
        const QJsonValue value = m_object.value(QLatin1StringView(name));
        if (!value.isString())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("%1 must be a string").arg(where(name)));
        const QString text = value.toString();
        if (text.size() > maxLength)
            return fail(ErrorCode::InvalidRequest,
                        QStringLiteral("%1 is longer than %2 characters").arg(where(name)).arg(maxLength));
        return text;
    }

    Result<QByteArray> bytes(const char *name, qsizetype maxBytes) const
    {
        Result<QString> text = string(name, base64UrlLength(maxBytes));
        if (!text)
            return text.error();
        const auto decoded = decodeBase64Url(text->toLatin1());
        if (!decoded)
            return fail(ErrorCode::MalformedCredential, QStringLiteral("%1 is not unpadded base64url").arg(where(name)));
        return *decoded;
    }

    bool has(const char *name) const
    {
        const QJsonValue value = m_object.value(QLatin1StringView(name));
        return !value.isUndefined() && !value.isNull();
    }

    Result<QJsonObject> object(const char *name) const
    {
        const QJsonValue value = m_object.value(QLatin1StringView(name));
        if (!value.isObject())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("%1 must be an object").arg(where(name)));
        return value.toObject();
    }

    Result<QStringList> stringList(const char *name, qsizetype maxEntries) const
    {
        const QJsonValue value = m_object.value(QLatin1StringView(name));
        if (!value.isArray() || value.toArray().size() > maxEntries)
            return fail(ErrorCode::InvalidRequest,
                        QStringLiteral("%1 must be an array of at most %2 strings").arg(where(name)).arg(maxEntries));
        QStringList list;
        for (const QJsonValue &entry : value.toArray()) {
            if (!entry.isString() || entry.toString().size() > kMaxShortStringLength)
                return fail(ErrorCode::InvalidRequest,
                            QStringLiteral("%1 entries must be short strings").arg(where(name)));
            list.append(entry.toString());
        }
        return list;
    }

private:
    QString where(const char *name) const
    {
        return m_path.isEmpty() ? QLatin1StringView(name).toString() : m_path + u'.' + QLatin1StringView(name);
    }

    QJsonObject m_object;
    QString m_path;
};

// What both responses share: id, rawId, type, and response.clientDataJSON.
struct CommonMembers {
    QString id;
    QByteArray rawId;
    QString type;
    QJsonObject response;
    QByteArray clientDataJSON;
};

Result<CommonMembers> readCommonMembers(const JsonReader &json)
{
    // Twice the longest valid credential ID is read, so that an ID just over
    // 1023 bytes is named for what it is (a malformed credential) rather than
    // an oversized request.
    constexpr qsizetype kReadableIdBytes = 2 * (kMaxCredentialIdLength + 1);
    Result<QString> id = json.string("id", base64UrlLength(kReadableIdBytes));
    if (!id)
        return id.error();
    Result<QByteArray> rawId = json.bytes("rawId", kReadableIdBytes);
    if (!rawId)
        return rawId.error();
    if (rawId->isEmpty() || rawId->size() > kMaxCredentialIdLength)
        return fail(ErrorCode::MalformedCredential,
                    QStringLiteral("rawId is %1 bytes; a credential ID has 1..%2").arg(rawId->size()).arg(kMaxCredentialIdLength));
    Result<QString> type = json.string("type", kMaxShortStringLength);
    if (!type)
        return type.error();
    Result<QJsonObject> response = json.object("response");
    if (!response)
        return response.error();
    Result<QByteArray> clientDataJSON =
        JsonReader(*response, QStringLiteral("response")).bytes("clientDataJSON", kMaxClientDataLength);
    if (!clientDataJSON)
        return clientDataJSON.error();
    return CommonMembers{*id, *rawId, *type, *response, *clientDataJSON};
}

} // namespace

Result<RegistrationResponse> registrationResponseFromJson(const QJsonObject &object)
{
    const JsonReader json(object);
    Result<CommonMembers> common = readCommonMembers(json);
    if (!common)
        return common.error();
    const JsonReader response(common->response, QStringLiteral("response"));

    RegistrationResponse registration;
    registration.id = common->id;
    registration.rawId = common->rawId;
    registration.type = common->type;
    registration.clientDataJSON = common->clientDataJSON;
    Result<QByteArray> attestationObject = response.bytes("attestationObject", kMaxAttestationObjectLength);
    if (!attestationObject)
        return attestationObject.error();
    registration.attestationObject = *attestationObject;
    if (response.has("transports")) {
        Result<QStringList> transports = response.stringList("transports", kMaxTransports);
        if (!transports)
            return transports.error();
        registration.transports = *transports;
    }
    if (json.has("authenticatorAttachment")) {
        Result<QString> attachment = json.string("authenticatorAttachment", kMaxShortStringLength);
        if (!attachment)
            return attachment.error();
        registration.authenticatorAttachment = *attachment;
    }
    return registration;
}

Result<AssertionResponse> assertionResponseFromJson(const QJsonObject &object)
{
    const JsonReader json(object);
    Result<CommonMembers> common = readCommonMembers(json);
    if (!common)
        return common.error();
    const JsonReader response(common->response, QStringLiteral("response"));

    AssertionResponse assertion;
    assertion.id = common->id;
    assertion.rawId = common->rawId;
    assertion.type = common->type;
    assertion.clientDataJSON = common->clientDataJSON;
    Result<QByteArray> authenticatorData = response.bytes("authenticatorData", kMaxAuthenticatorDataLength);
    if (!authenticatorData)
        return authenticatorData.error();
    assertion.authenticatorData = *authenticatorData;
    Result<QByteArray> signature = response.bytes("signature", kMaxSignatureLength);
    if (!signature)
        return signature.error();
    assertion.signature = *signature;
    if (response.has("userHandle")) {
        Result<QByteArray> userHandle = response.bytes("userHandle", kMaxUserHandleLength);
        if (!userHandle)
            return userHandle.error();
        if (!userHandle->isEmpty())
            assertion.userHandle = *userHandle;
    }
    return assertion;
}

} // namespace daarion::webauthn
