#pragma once
// CollectedClientData (WebAuthn §5.8.1), read from the exact bytes the client
// signed over. Unknown members are allowed and ignored.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace daarion::webauthn {

inline constexpr qsizetype kMaxClientDataLength = 16 * 1024;

struct ClientData {
    QByteArray raw;
    QByteArray hash; // SHA-256(raw), what the authenticator signed
    QString type;    // "webauthn.create" or "webauthn.get"
    QByteArray challenge;
    QString origin;
    bool crossOrigin = false;
    std::optional<QString> topOrigin;
};

// MalformedCredential when the bytes are not a JSON object with string
// `type`, `challenge` (base64url) and `origin`.
Result<ClientData> parseClientData(const QByteArray &raw);

} // namespace daarion::webauthn
