#pragma once
// JOSE (JWS) carries an ECDSA signature as fixed-width R || S (RFC 7518
// §3.4); OpenSSL verifies DER. Used by android-safetynet statements and
// FIDO MDS3 BLOBs, both ES256 JWS.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace daarion::webauthn
{

// A P-256 signature: 64 bytes R || S, as DER; nullopt for any other size.
std::optional<QByteArray> joseEs256SignatureToDer(QByteArrayView raw);

} // namespace daarion::webauthn
