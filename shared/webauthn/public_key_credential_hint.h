#pragma once
// PublicKeyCredentialHint (WebAuthn L3 §5.8.7): what kind of authenticator the
// relying party expects, sent as `hints` in creation and request options so
// the browser can lead with the right prompt. Ordered by preference; a browser
// that does not know a hint ignores it. One table of the names on the wire.
// Header-only: the settings parse it and the HTTP edge writes it.

#include <QLatin1StringView>
#include <QStringView>

#include <array>
#include <cstdint>
#include <optional>

namespace daarion::webauthn
{

enum class PublicKeyCredentialHint : std::uint8_t {
    SecurityKey,  // a removable security key
    ClientDevice, // the platform authenticator of the device in use
    Hybrid,       // a phone, over the hybrid (QR code and Bluetooth) transport
    Count         // not a hint: the number of them
};

struct PublicKeyCredentialHintSpec {
    PublicKeyCredentialHint hint;
    const char *name;
};

inline constexpr std::array<PublicKeyCredentialHintSpec,
                            std::size_t(PublicKeyCredentialHint::Count)>
    kPublicKeyCredentialHints{{
        {PublicKeyCredentialHint::SecurityKey, "security-key"},
        {PublicKeyCredentialHint::ClientDevice, "client-device"},
        {PublicKeyCredentialHint::Hybrid, "hybrid"},
    }};

consteval bool publicKeyCredentialHintTableIsComplete()
{
    for (std::size_t i = 0; i < kPublicKeyCredentialHints.size(); ++i) {
        if (std::size_t(kPublicKeyCredentialHints[i].hint) != i ||
            kPublicKeyCredentialHints[i].name == nullptr)
            return false;
    }
    return true;
}
static_assert(publicKeyCredentialHintTableIsComplete(),
              "kPublicKeyCredentialHints needs one row per PublicKeyCredentialHint, in order");

inline QLatin1StringView hintName(PublicKeyCredentialHint hint)
{
    return QLatin1StringView(kPublicKeyCredentialHints[std::size_t(hint)].name);
}

inline std::optional<PublicKeyCredentialHint> hintFromName(QStringView name)
{
    for (const PublicKeyCredentialHintSpec &spec : kPublicKeyCredentialHints) {
        if (name == QLatin1StringView(spec.name))
            return spec.hint;
    }
    return std::nullopt;
}

} // namespace daarion::webauthn
