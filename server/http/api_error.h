#pragma once
// The API's error body {"error": code, "message": text} with the contract's
// status for each code (../shared/API.md "Errors"). Handlers return these;
// the edge uses them too, so every error looks the same.

#include "server/http/api_response.h"
#include "shared/webauthn/errors.h"

#include <QString>

namespace daarion::server {

// The contract's status for a stable code ("rate_limited" → 429,
// "username_taken" → 409, …). An unknown code is a programming error: 500.
int statusForErrorCode(const QString &code);

// {"error": code, "message": message} with statusForErrorCode(code).
ApiResponse apiError(const QString &code, const QString &message);

// A verifier rejection as its API error (webauthn::errorCodeName → status).
ApiResponse apiError(const webauthn::Error &error);

// Common ones, spelled once.
ApiResponse invalidRequest(const QString &message);   // 400 invalid_request
ApiResponse notFound(const QString &message = {});    // 404 not_found
ApiResponse unavailable(const QString &message = {}); // 503 unavailable (database down; retry)
ApiResponse rateLimited(int retryAfterSeconds);       // 429 rate_limited + Retry-After

} // namespace daarion::server
