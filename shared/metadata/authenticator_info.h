#pragma once
// What people see of an authenticator model: its name and icons, from the
// bundled passkey-provider list and the imported FIDO MDS entry. The list
// wins for name and icons (it is curated for display; see the NOTICE beside
// it); MDS fills in every AAGUID the list lacks. Unknown AAGUIDs (and the
// all-zero one of authenticators that do not say) have no info.

#include "shared/metadata/passkey_providers.h"

#include <QByteArray>
#include <QString>
#include <QUuid>

#include <optional>

namespace daarion::metadata
{

struct AuthenticatorInfo {
    QUuid aaguid;
    QString name;
    QString iconLight; // data: URI or empty
    QString iconDark;
};

// `mdsDescription` / `mdsIcon`: the imported MDS entry's, empty when none.
std::optional<AuthenticatorInfo>
describeAuthenticator(const QUuid &aaguid, const QString &mdsDescription, const QString &mdsIcon,
                      const PasskeyProviders &providers = PasskeyProviders::bundled());

// A passkey's 16 AAGUID bytes as a UUID (null for anything else).
QUuid aaguidFromBytes(const QByteArray &bytes);

} // namespace daarion::metadata
