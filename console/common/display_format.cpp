#include "console/common/display_format.h"

#include <QUuid>

namespace daarion::console::display {

QString time(const QDateTime &value, const QString &never)
{
    if (!value.isValid())
        return never;
    return value.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString algorithm(int coseAlgorithm)
{
    QString name;
    switch (coseAlgorithm) {
    case -7: name = QStringLiteral("ES256"); break;
    case -35: name = QStringLiteral("ES384"); break;
    case -36: name = QStringLiteral("ES512"); break;
    case -8: name = QStringLiteral("EdDSA"); break;
    case -257: name = QStringLiteral("RS256"); break;
    case -258: name = QStringLiteral("RS384"); break;
    case -259: name = QStringLiteral("RS512"); break;
    case -37: name = QStringLiteral("PS256"); break;
    case -38: name = QStringLiteral("PS384"); break;
    case -39: name = QStringLiteral("PS512"); break;
    case -65535: name = QStringLiteral("RS1"); break;
    default: return QString::number(coseAlgorithm);
    }
    return QStringLiteral("%1 (%2)").arg(name).arg(coseAlgorithm);
}

QString aaguid(const QByteArray &bytes)
{
    if (bytes.size() != 16)
        return QString();
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString shortCredentialId(const QString &credentialId)
{
    constexpr int shown = 10;
    if (credentialId.size() <= shown)
        return credentialId;
    return credentialId.left(shown) + QChar(0x2026);
}

QString transports(const QStringList &values)
{
    return values.join(QStringLiteral(", "));
}

} // namespace daarion::console::display
