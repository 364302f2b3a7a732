#include "shared/metadata/authenticator_info.h"

namespace daarion::metadata
{

std::optional<AuthenticatorInfo> describeAuthenticator(const QUuid &aaguid,
                                                       const QString &mdsDescription,
                                                       const QString &mdsIcon,
                                                       const PasskeyProviders &providers)
{
    if (aaguid.isNull())
        return std::nullopt;
    if (const auto provider = providers.find(aaguid)) {
        AuthenticatorInfo info{aaguid, provider->name, provider->iconLight, provider->iconDark};
        if (info.iconLight.isEmpty() && info.iconDark.isEmpty())
            info.iconLight = info.iconDark = mdsIcon;
        return info;
    }
    if (mdsDescription.isEmpty())
        return std::nullopt;
    // MDS has one icon for both themes.
    return AuthenticatorInfo{aaguid, mdsDescription, mdsIcon, mdsIcon};
}

QUuid aaguidFromBytes(const QByteArray &bytes)
{
    if (bytes.size() != 16)
        return QUuid();
    return QUuid::fromRfc4122(bytes);
}

} // namespace daarion::metadata
