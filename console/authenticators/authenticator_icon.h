#pragma once
// An authenticator's icon (a data: URI from the passkey-provider list or an
// MDS entry: SVG, PNG, …) as a QIcon, decoded once and cached. SVG needs
// Qt's SVG image plugin (libqt6svg6); without it the icon is simply empty.

#include <QIcon>
#include <QString>

namespace daarion::console {

// Null for anything that is not an image data: URI or does not decode.
QIcon authenticatorIcon(const QString &dataUri);

} // namespace daarion::console
