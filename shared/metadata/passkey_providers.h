#pragma once
// The bundled list of passkey providers' AAGUIDs (data/passkey-provider-
// aaguids.json; source and licence in its NOTICE), compiled in as a Qt
// resource: names and light/dark icons for synced passkeys, which FIDO MDS
// does not list. Read once, on first use; immutable afterwards, so any
// thread may use it.

#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QUuid>

#include <optional>

namespace daarion::metadata
{

struct ProviderInfo {
    QString name;
    QString iconLight; // data:image/svg+xml;base64,… or empty
    QString iconDark;
};

class PasskeyProviders
{
public:
    // The bundled list.
    static const PasskeyProviders &bundled();
    // A list in the same JSON shape; rows that break it are left out and
    // counted in rejectedRows().
    static PasskeyProviders fromJson(QByteArrayView json);

    std::optional<ProviderInfo> find(const QUuid &aaguid) const;
    qsizetype size() const { return m_providers.size(); }
    int rejectedRows() const { return m_rejected; }

private:
    QHash<QUuid, ProviderInfo> m_providers;
    int m_rejected = 0;
};

} // namespace daarion::metadata
