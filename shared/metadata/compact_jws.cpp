#include "shared/metadata/compact_jws.h"

#include "shared/webauthn/bytes.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace daarion::metadata
{

namespace
{

MetadataError malformed(const QString &detail)
{
    return metadataError(MetadataErrorCode::MalformedJws, detail);
}

} // namespace

MetadataResult<CompactJws> parseCompactJws(QByteArrayView text)
{
    const QByteArrayView trimmed = text.trimmed();
    const qsizetype firstDot = trimmed.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : trimmed.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0 || trimmed.indexOf('.', secondDot + 1) >= 0)
        return malformed(QStringLiteral("expected three parts separated by dots"));
    const QByteArrayView headerText = trimmed.first(firstDot);
    const QByteArrayView payloadText = trimmed.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signatureText = trimmed.sliced(secondDot + 1);
    if (headerText.isEmpty() || payloadText.isEmpty() || signatureText.isEmpty())
        return malformed(QStringLiteral("a part is empty"));
    if (headerText.size() > kMaxJwsHeaderBytes * 4 / 3 + 4)
        return malformed(
            QStringLiteral("the header is larger than %1 bytes").arg(kMaxJwsHeaderBytes));

    CompactJws jws;
    const auto header = webauthn::decodeBase64Url(headerText);
    if (!header)
        return malformed(QStringLiteral("the header is not base64url"));
    QJsonParseError parseError;
    const QJsonDocument headerJson = QJsonDocument::fromJson(*header, &parseError);
    if (parseError.error != QJsonParseError::NoError || !headerJson.isObject())
        return malformed(QStringLiteral("the header is not a JSON object"));
    jws.header = headerJson.object();

    auto payload = webauthn::decodeBase64Url(payloadText);
    if (!payload)
        return malformed(QStringLiteral("the payload is not base64url"));
    jws.payload = std::move(*payload);
    auto signature = webauthn::decodeBase64Url(signatureText);
    if (!signature)
        return malformed(QStringLiteral("the signature is not base64url"));
    jws.signature = std::move(*signature);
    jws.signingInput = trimmed.first(secondDot).toByteArray();
    return jws;
}

} // namespace daarion::metadata
