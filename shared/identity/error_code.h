#pragma once
// Every error the HTTP API can answer, in one table: the enum value, its
// stable machine code, its HTTP status and the message a client sees
// (API.md "Errors"). A code without a status or message does not compile
// (the table's completeness is checked at compile time). What exactly went
// wrong — the verifier's finding, the store's SQLSTATE — is developer detail
// for the log (ServiceError::detail), never for the client.

#include "shared/webauthn/errors.h"

#include <QLatin1StringView>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace daarion::identity
{

enum class ErrorCode : std::uint8_t {
    // 400
    InvalidJson,
    InvalidRequest,
    ChallengeInvalid,
    TypeMismatch,
    OriginMismatch,
    RpIdMismatch,
    UserPresenceRequired,
    UserVerificationRequired,
    MalformedCredential,
    UnsupportedAlgorithm,
    AttestationInvalid,
    BackupFlagsInvalid,
    EnrollmentInvalid,
    // 401
    Unauthenticated,
    InvalidSession,
    UnknownCredential,
    SignatureInvalid,
    TokenReused,
    // 403
    Forbidden,
    CredentialDisabled,
    UserDisabled,
    CounterRegression,
    EnrollmentPending,
    AuthenticatorRevoked,
    CsrfRefused,
    // 404, 405, 409, 413, 429
    NotFound,
    MethodNotAllowed,
    UsernameTaken,
    CredentialExists,
    LastCredential,
    PayloadTooLarge,
    RateLimited,
    // 500, 503
    InternalError,
    Unavailable,
    Count // not a code: the number of them; new codes go above
};
inline constexpr std::size_t kErrorCodeCount = std::size_t(ErrorCode::Count);

struct ErrorSpec {
    ErrorCode code;
    const char *name; // the stable machine code, e.g. "rp_id_mismatch"
    int httpStatus;
    const char *message; // for people, safe to show: says what to do, reveals nothing
};

// The table, in the enum's order.
inline constexpr std::array<ErrorSpec, kErrorCodeCount> kErrorTable{{
    {ErrorCode::InvalidJson, "invalid_json", 400, "The request body is not valid JSON."},
    {ErrorCode::InvalidRequest, "invalid_request", 400,
     "The request is missing a value or has a wrong one."},
    {ErrorCode::ChallengeInvalid, "challenge_invalid", 400,
     "The challenge is unknown, expired or already used; start again."},
    {ErrorCode::TypeMismatch, "type_mismatch", 400,
     "The response is for a different kind of ceremony."},
    {ErrorCode::OriginMismatch, "origin_mismatch", 400,
     "The response comes from a page this service does not trust."},
    {ErrorCode::RpIdMismatch, "rp_id_mismatch", 400, "The passkey was made for a different site."},
    {ErrorCode::UserPresenceRequired, "user_presence_required", 400,
     "The authenticator did not confirm that a person was present."},
    {ErrorCode::UserVerificationRequired, "user_verification_required", 400,
     "The authenticator did not verify the person (PIN or biometrics)."},
    {ErrorCode::MalformedCredential, "malformed_credential", 400,
     "The authenticator's response could not be read."},
    {ErrorCode::UnsupportedAlgorithm, "unsupported_algorithm", 400,
     "The passkey uses a key type this service does not accept."},
    {ErrorCode::AttestationInvalid, "attestation_invalid", 400,
     "The authenticator's attestation could not be verified or is not accepted."},
    {ErrorCode::BackupFlagsInvalid, "backup_flags_invalid", 400,
     "The authenticator reported inconsistent backup flags."},
    {ErrorCode::EnrollmentInvalid, "enrollment_invalid", 400,
     "This enrollment link is not valid: it may be wrong, used, revoked or expired. Ask for a new "
     "one."},
    {ErrorCode::Unauthenticated, "unauthenticated", 401, "Sign in first."},
    {ErrorCode::InvalidSession, "invalid_session", 401,
     "The session is unknown, expired or ended; sign in again."},
    {ErrorCode::UnknownCredential, "unknown_credential", 401,
     "This passkey is not registered here."},
    {ErrorCode::SignatureInvalid, "signature_invalid", 401,
     "The passkey's signature did not verify."},
    {ErrorCode::TokenReused, "token_reused", 401,
     "This token was already rotated; the session has been ended. Sign in again."},
    {ErrorCode::Forbidden, "forbidden", 403, "You may not do this."},
    {ErrorCode::CredentialDisabled, "credential_disabled", 403, "This passkey has been disabled."},
    {ErrorCode::UserDisabled, "user_disabled", 403, "This account has been disabled."},
    {ErrorCode::CounterRegression, "counter_regression", 403,
     "This passkey's signature counter went backwards; it may have been cloned. An operator has "
     "been told."},
    {ErrorCode::EnrollmentPending, "enrollment_pending", 403,
     "This enrollment link cannot be used yet; try again after the time it names."},
    {ErrorCode::AuthenticatorRevoked, "authenticator_revoked", 403,
     "This model of authenticator is not accepted: its maker reported it compromised or revoked."},
    {ErrorCode::CsrfRefused, "csrf_refused", 403,
     "A request signed in by cookie must be sent with Content-Type: application/json."},
    {ErrorCode::NotFound, "not_found", 404, "No such resource."},
    {ErrorCode::MethodNotAllowed, "method_not_allowed", 405, "This method is not allowed here."},
    {ErrorCode::UsernameTaken, "username_taken", 409, "That username is taken."},
    {ErrorCode::CredentialExists, "credential_exists", 409, "This passkey is already registered."},
    {ErrorCode::LastCredential, "last_credential", 409,
     "This is the account's last passkey; add another one first."},
    {ErrorCode::PayloadTooLarge, "payload_too_large", 413, "The request is too large."},
    {ErrorCode::RateLimited, "rate_limited", 429, "Too many requests; retry later."},
    {ErrorCode::InternalError, "internal_error", 500, "Something went wrong on our side."},
    {ErrorCode::Unavailable, "unavailable", 503,
     "The service cannot reach its database; retry shortly."},
}};

// Every code has its own row, in order, with a name, a status and a message.
consteval bool errorTableIsComplete()
{
    for (std::size_t i = 0; i < kErrorTable.size(); ++i) {
        const ErrorSpec &spec = kErrorTable[i];
        if (std::size_t(spec.code) != i || spec.name == nullptr || spec.message == nullptr ||
            spec.httpStatus < 400 || spec.httpStatus > 599)
            return false;
    }
    return true;
}
static_assert(errorTableIsComplete(),
              "kErrorTable needs one row per ErrorCode, in order, each with a status");

inline const ErrorSpec &errorSpec(ErrorCode code)
{
    return kErrorTable[std::size_t(code)];
}
inline QLatin1StringView errorName(ErrorCode code)
{
    return QLatin1StringView(errorSpec(code).name);
}
inline int httpStatus(ErrorCode code)
{
    return errorSpec(code).httpStatus;
}
inline QString defaultMessage(ErrorCode code)
{
    return QString::fromUtf8(errorSpec(code).message);
}

// "rp_id_mismatch" → ErrorCode::RpIdMismatch; nullopt for anything else.
std::optional<ErrorCode> errorCodeFromName(QStringView name);

// The verifier's rejection as the API's code (same names, one to one).
ErrorCode fromVerifierCode(webauthn::ErrorCode code);

} // namespace daarion::identity
