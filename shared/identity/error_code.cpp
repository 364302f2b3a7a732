#include "shared/identity/error_code.h"

namespace daarion::identity
{

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const ErrorSpec &spec : kErrorTable) {
        if (name == QLatin1StringView(spec.name))
            return spec.code;
    }
    return std::nullopt;
}

ErrorCode fromVerifierCode(webauthn::ErrorCode code)
{
    using webauthn::ErrorCode;
    switch (code) {
    case ErrorCode::InvalidRequest:
        return identity::ErrorCode::InvalidRequest;
    case ErrorCode::ChallengeInvalid:
        return identity::ErrorCode::ChallengeInvalid;
    case ErrorCode::TypeMismatch:
        return identity::ErrorCode::TypeMismatch;
    case ErrorCode::OriginMismatch:
        return identity::ErrorCode::OriginMismatch;
    case ErrorCode::RpIdMismatch:
        return identity::ErrorCode::RpIdMismatch;
    case ErrorCode::UserPresenceRequired:
        return identity::ErrorCode::UserPresenceRequired;
    case ErrorCode::UserVerificationRequired:
        return identity::ErrorCode::UserVerificationRequired;
    case ErrorCode::MalformedCredential:
        return identity::ErrorCode::MalformedCredential;
    case ErrorCode::UnsupportedAlgorithm:
        return identity::ErrorCode::UnsupportedAlgorithm;
    case ErrorCode::AttestationInvalid:
        return identity::ErrorCode::AttestationInvalid;
    case ErrorCode::BackupFlagsInvalid:
        return identity::ErrorCode::BackupFlagsInvalid;
    case ErrorCode::UnknownCredential:
        return identity::ErrorCode::UnknownCredential;
    case ErrorCode::SignatureInvalid:
        return identity::ErrorCode::SignatureInvalid;
    case ErrorCode::CounterRegression:
        return identity::ErrorCode::CounterRegression;
    }
    return identity::ErrorCode::InternalError; // unreachable: -Wswitch names a missing case
}

} // namespace daarion::identity
