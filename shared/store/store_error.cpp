#include "shared/store/store_error.h"

namespace daarion::store {

QString storeErrorKindName(StoreErrorKind kind)
{
    switch (kind) {
    case StoreErrorKind::Unavailable: return QStringLiteral("unavailable");
    case StoreErrorKind::NotFound: return QStringLiteral("not_found");
    case StoreErrorKind::ChallengeInvalid: return QStringLiteral("challenge_invalid");
    case StoreErrorKind::InvalidSession: return QStringLiteral("invalid_session");
    case StoreErrorKind::TokenReused: return QStringLiteral("token_reused");
    case StoreErrorKind::UsernameTaken: return QStringLiteral("username_taken");
    case StoreErrorKind::CredentialExists: return QStringLiteral("credential_exists");
    case StoreErrorKind::LastCredential: return QStringLiteral("last_credential");
    case StoreErrorKind::EnrollmentInvalid:
        return QStringLiteral("enrollment_invalid");
    case StoreErrorKind::Disabled: return QStringLiteral("disabled");
    case StoreErrorKind::Conflict: return QStringLiteral("conflict");
    case StoreErrorKind::InvalidInput: return QStringLiteral("invalid_input");
    case StoreErrorKind::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

} // namespace daarion::store
