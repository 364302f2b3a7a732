// The one table of attestation statement formats (WebAuthn §8) we verify.
#include "shared/webauthn/attestation/attestation_statement.h"

namespace daarion::webauthn {

QString attestationTypeName(AttestationType type)
{
    switch (type) {
    case AttestationType::None: return QStringLiteral("none");
    case AttestationType::Self: return QStringLiteral("self");
    case AttestationType::Basic: return QStringLiteral("basic");
    case AttestationType::AttCA: return QStringLiteral("attca");
    case AttestationType::AnonCA: return QStringLiteral("anonca");
    }
    return QStringLiteral("none");
}

AttestationVerifier attestationVerifierFor(const QString &fmt)
{
    struct Format {
        QLatin1StringView name;
        AttestationVerifier verify;
    };
    static constexpr Format formats[] = {
        {QLatin1StringView("none"), verifyNoneAttestation},
        {QLatin1StringView("packed"), verifyPackedAttestation},
        {QLatin1StringView("fido-u2f"), verifyFidoU2fAttestation},
        {QLatin1StringView("tpm"), verifyTpmAttestation},
        {QLatin1StringView("android-key"), verifyAndroidKeyAttestation},
        {QLatin1StringView("android-safetynet"), verifyAndroidSafetyNetAttestation},
        {QLatin1StringView("apple"), verifyAppleAttestation},
    };
    for (const Format &format : formats) {
        if (fmt == format.name)
            return format.verify;
    }
    return nullptr;
}

} // namespace daarion::webauthn
