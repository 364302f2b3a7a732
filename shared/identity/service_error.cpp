#include "shared/identity/service_error.h"

#include <QLoggingCategory>

namespace daarion::identity {

Q_LOGGING_CATEGORY(lcService, "daarion.identity")

ServiceError fromVerifier(const webauthn::Error &error)
{
    return serviceError(fromVerifierCode(error.code)).withDetail(error.message);
}

ServiceError fromStore(const store::StoreError &error)
{
    using store::StoreErrorKind;
    const auto mapped = [&error](ErrorCode code) { return serviceError(code).withDetail(error.message); };
    switch (error.kind) {
    case StoreErrorKind::Unavailable:
        return mapped(ErrorCode::Unavailable);
    case StoreErrorKind::NotFound:
        return mapped(ErrorCode::NotFound);
    case StoreErrorKind::ChallengeInvalid:
        return mapped(ErrorCode::ChallengeInvalid);
    case StoreErrorKind::InvalidSession:
        return mapped(ErrorCode::InvalidSession);
    case StoreErrorKind::TokenReused:
        return mapped(ErrorCode::TokenReused);
    case StoreErrorKind::UsernameTaken:
        return mapped(ErrorCode::UsernameTaken);
    case StoreErrorKind::CredentialExists:
        return mapped(ErrorCode::CredentialExists);
    case StoreErrorKind::LastCredential:
        return mapped(ErrorCode::LastCredential);
    case StoreErrorKind::EnrollmentInvalid:
        return mapped(ErrorCode::EnrollmentInvalid);
    case StoreErrorKind::Disabled:
        return mapped(ErrorCode::Forbidden);
    case StoreErrorKind::InvalidInput:
        return serviceError(ErrorCode::InvalidRequest, QStringLiteral("A value was refused."))
            .withDetail(error.message);
    case StoreErrorKind::Conflict:
    case StoreErrorKind::Failed:
        break;
    }
    qCWarning(lcService) << "store failure:" << store::storeErrorKindName(error.kind)
                         << error.sqlState << error.message;
    return mapped(ErrorCode::InternalError);
}

} // namespace daarion::identity
