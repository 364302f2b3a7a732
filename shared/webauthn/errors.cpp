#include "shared/webauthn/errors.h"

namespace daarion::webauthn {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidRequest: return QStringLiteral("invalid_request");
    case ErrorCode::ChallengeInvalid: return QStringLiteral("challenge_invalid");
    case ErrorCode::TypeMismatch: return QStringLiteral("type_mismatch");
    case ErrorCode::OriginMismatch: return QStringLiteral("origin_mismatch");
    case ErrorCode::RpIdMismatch: return QStringLiteral("rp_id_mismatch");
    case ErrorCode::UserPresenceRequired: return QStringLiteral("user_presence_required");
    case ErrorCode::UserVerificationRequired: return QStringLiteral("user_verification_required");
    case ErrorCode::MalformedCredential: return QStringLiteral("malformed_credential");
    case ErrorCode::UnsupportedAlgorithm: return QStringLiteral("unsupported_algorithm");
    case ErrorCode::AttestationInvalid: return QStringLiteral("attestation_invalid");
    case ErrorCode::BackupFlagsInvalid: return QStringLiteral("backup_flags_invalid");
    case ErrorCode::UnknownCredential: return QStringLiteral("unknown_credential");
    case ErrorCode::SignatureInvalid: return QStringLiteral("signature_invalid");
    case ErrorCode::CounterRegression: return QStringLiteral("counter_regression");
    }
    return QStringLiteral("invalid_request");
}

} // namespace daarion::webauthn
