// CollectedClientData (WebAuthn §5.8.1): bounded before parsing, then read
// with QJsonDocument. Only the members the ceremonies check are kept.
#include "shared/webauthn/client_data.h"

#include "shared/webauthn/bytes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace daarion::webauthn {

namespace {

Error malformed(const QString &why)
{
    return fail(ErrorCode::MalformedCredential, QStringLiteral("clientDataJSON: ") + why);
}

} // namespace

Result<ClientData> parseClientData(const QByteArray &raw)
{
    if (raw.isEmpty())
        return malformed(QStringLiteral("empty"));
    if (raw.size() > kMaxClientDataLength)
        return malformed(QStringLiteral("%1 bytes, more than the %2 allowed").arg(raw.size()).arg(kMaxClientDataLength));

    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(raw, &error);
    if (error.error != QJsonParseError::NoError)
        return malformed(QStringLiteral("not JSON (%1 at offset %2)").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return malformed(QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();

    const QJsonValue type = object.value(QLatin1StringView("type"));
    const QJsonValue challenge = object.value(QLatin1StringView("challenge"));
    const QJsonValue origin = object.value(QLatin1StringView("origin"));
    if (!type.isString() || !challenge.isString() || !origin.isString())
        return malformed(QStringLiteral("type, challenge and origin must be strings"));
    const auto challengeBytes = decodeBase64Url(challenge.toString().toLatin1());
    if (!challengeBytes)
        return malformed(QStringLiteral("challenge is not unpadded base64url"));

    ClientData data;
    data.raw = raw;
    data.hash = sha256(raw);
    data.type = type.toString();
    data.challenge = *challengeBytes;
    data.origin = origin.toString();

    const QJsonValue crossOrigin = object.value(QLatin1StringView("crossOrigin"));
    if (!crossOrigin.isUndefined()) {
        if (!crossOrigin.isBool())
            return malformed(QStringLiteral("crossOrigin must be a boolean"));
        data.crossOrigin = crossOrigin.toBool();
    }
    const QJsonValue topOrigin = object.value(QLatin1StringView("topOrigin"));
    if (!topOrigin.isUndefined()) {
        if (!topOrigin.isString())
            return malformed(QStringLiteral("topOrigin must be a string"));
        data.topOrigin = topOrigin.toString();
    }
    return data;
}

} // namespace daarion::webauthn
