#pragma once
// Why a store call did not give its value. The kinds are the distinctions
// callers act on (HTTP status, retry, message); the SQLSTATE and message are
// for the log, never for the client.

#include "shared/webauthn/errors.h"

#include <QString>


namespace daarion::store {

enum class StoreErrorKind {
    Unavailable, // PostgreSQL cannot be reached or dropped the connection (→ 503 unavailable;
                 // retry)
    NotFound,    // no such row (or not the caller's)
    ChallengeInvalid, // unknown, expired, already consumed, or another ceremony's challenge
    InvalidSession,   // session token unknown, expired, idle too long, revoked or rotated (→ 401)
    TokenReused,      // a rotated-out token presented again; its family is now revoked (→ 401
                      // token_reused)
    UsernameTaken,    // → 409 username_taken
    CredentialExists, // credential_id registered to some account already (→ 409 credential_exists)
    LastCredential,   // refusing to delete or disable a user's last usable passkey (→ 409
                      // last_credential)
    EnrollmentInvalid, // an enrollment link that is unknown, used, revoked, expired or not usable
                       // yet (→ 400)
    Disabled,          // the user or passkey was disabled meanwhile (→ 403)
    Conflict,          // another unique / foreign-key / concurrent-update conflict (→ 409)
    InvalidInput, // a value refused before binding (NUL byte) or by a CHECK constraint (→ 400)
    Failed,       // anything else: unexpected, a bug or a broken database (→ 500)
};

// Stable lower-case name, e.g. "unavailable", for logs and tests.
QString storeErrorKindName(StoreErrorKind kind);

struct StoreError {
    StoreErrorKind kind = StoreErrorKind::Failed;
    QString message{};  // for the log: what failed and why
    QString sqlState{}; // PostgreSQL SQLSTATE when the database said no, else empty
};

inline StoreError storeError(StoreErrorKind kind, const QString &message, const QString &sqlState = {})
{
    return StoreError{kind, message, sqlState};
}

// A value or the reason there is none: webauthn::Result with a StoreError,
// plus kind() for the common branch on it.
template <typename T>
class [[nodiscard]] StoreResult : public webauthn::Result<T, StoreError>
{
public:
    using webauthn::Result<T, StoreError>::Result;
    StoreErrorKind kind() const { return this->error().kind; } // only when !ok()
};

using Ok = webauthn::Ok;
using StoreCheck = StoreResult<Ok>;

} // namespace daarion::store
