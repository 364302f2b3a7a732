#pragma once
// The API's error body {"error": code, "message": text, …extra} with the
// status of the code's row in identity/error_code.h. Handlers return these;
// the edge uses them too, so every error looks the same. Developer detail
// (ServiceError::detail, a verifier's finding) is logged here, never sent.

#include "server/http/api_response.h"
#include "shared/identity/service_error.h"
#include "shared/webauthn/errors.h"

#include <QString>

namespace daarion::server {

// `message` replaces the table's for the client (text we wrote about the request).
ApiResponse apiError(identity::ErrorCode code, const QString &message = {});
ApiResponse apiError(const identity::ServiceError &error);

// A verifier rejection: its code, the table's message; its finding to the log.
ApiResponse apiError(const webauthn::Error &error);

// Common ones, spelled once.
ApiResponse invalidRequest(const QString &message);   // 400 invalid_request
ApiResponse notFound(const QString &message = {});    // 404 not_found
ApiResponse unavailable(const QString &message = {}); // 503 unavailable (database down; retry)
ApiResponse rateLimited(int retryAfterSeconds);       // 429 rate_limited + Retry-After

} // namespace daarion::server
