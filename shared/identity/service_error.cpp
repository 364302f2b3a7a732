#include "shared/identity/service_error.h"

#include <QLoggingCategory>

namespace daarion::identity {

Q_LOGGING_CATEGORY(lcService, "daarion.identity")

ServiceError fromVerifier(const webauthn::Error &error)
{
    return ServiceError{webauthn::errorCodeName(error.code), error.message};
}

ServiceError fromStore(const store::StoreError &error)
{
    using store::StoreErrorKind;
    switch (error.kind) {
    case StoreErrorKind::Unavailable:
        return {QStringLiteral("unavailable"),
                QStringLiteral("The database is unreachable; retry shortly.")};
    case StoreErrorKind::NotFound:
        return {QStringLiteral("not_found"), QStringLiteral("No such item.")};
    case StoreErrorKind::ChallengeInvalid:
        return {QStringLiteral("challenge_invalid"),
                QStringLiteral("The challenge is unknown, expired or already used; start again.")};
    case StoreErrorKind::InvalidSession:
        return {QStringLiteral("invalid_session"),
                QStringLiteral("The session is unknown, expired or ended; sign in again.")};
    case StoreErrorKind::TokenReused:
        return {QStringLiteral("token_reused"),
                QStringLiteral("This token was already rotated; the session has been ended.")};
    case StoreErrorKind::UsernameTaken:
        return {QStringLiteral("username_taken"), QStringLiteral("That username is taken.")};
    case StoreErrorKind::CredentialExists:
        return {QStringLiteral("credential_exists"),
                QStringLiteral("This passkey is already registered.")};
    case StoreErrorKind::LastCredential:
        return {QStringLiteral("last_credential"),
                QStringLiteral("This is the account's last passkey; add another one first.")};
    case StoreErrorKind::Disabled:
        return {QStringLiteral("forbidden"), QStringLiteral("The account or passkey is disabled.")};
    case StoreErrorKind::InvalidInput:
        return {QStringLiteral("invalid_request"), QStringLiteral("A value was refused.")};
    case StoreErrorKind::Conflict:
    case StoreErrorKind::Failed:
        break;
    }
    qCWarning(lcService) << "store failure:" << store::storeErrorKindName(error.kind)
                         << error.sqlState << error.message;
    return {QStringLiteral("internal_error"), QStringLiteral("Something went wrong on our side.")};
}

} // namespace daarion::identity
