#include "shared/metadata/passkey_providers.h"

#include "shared/metadata/metadata_blob.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace daarion::metadata
{

namespace
{

constexpr char kBundledList[] = ":/daarion/metadata/passkey-provider-aaguids.json";
constexpr qsizetype kMaxNameChars = 128;

bool isSvgDataUri(const QJsonValue &value)
{
    static const QRegularExpression pattern(
        QStringLiteral("^data:image/svg\\+xml;base64,[A-Za-z0-9+/]+={0,2}$"));
    return value.isString() && value.toString().size() <= kMaxIconChars &&
           pattern.match(value.toString()).hasMatch();
}

} // namespace

const PasskeyProviders &PasskeyProviders::bundled()
{
    static const PasskeyProviders providers = [] {
        QFile file(QString::fromLatin1(kBundledList));
        if (!file.open(QIODevice::ReadOnly))
            return PasskeyProviders();
        return fromJson(file.readAll());
    }();
    return providers;
}

PasskeyProviders PasskeyProviders::fromJson(QByteArrayView json)
{
    PasskeyProviders providers;
    const QJsonObject list = QJsonDocument::fromJson(json.toByteArray()).object();
    for (auto it = list.begin(); it != list.end(); ++it) {
        const QUuid aaguid = parseAaguidText(it.key());
        const QJsonObject row = it.value().toObject();
        const QString name = row.value(QStringLiteral("name")).toString().trimmed();
        const QJsonValue light = row.value(QStringLiteral("icon_light"));
        const QJsonValue dark = row.value(QStringLiteral("icon_dark"));
        const bool iconsOk = (light.isUndefined() || isSvgDataUri(light)) &&
                             (dark.isUndefined() || isSvgDataUri(dark));
        if (aaguid.isNull() || name.isEmpty() || name.size() > kMaxNameChars || !iconsOk) {
            ++providers.m_rejected;
            continue;
        }
        providers.m_providers.insert(aaguid, ProviderInfo{name, light.toString(), dark.toString()});
    }
    return providers;
}

std::optional<ProviderInfo> PasskeyProviders::find(const QUuid &aaguid) const
{
    const auto it = m_providers.constFind(aaguid);
    if (it == m_providers.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace daarion::metadata
