#pragma once
// Short-lived signed identity tokens (POST /auth/token): a compact JWT,
// HS256 over the caller's ActorIdentity, so a PEP can check who is calling
// without a round trip. The price is revocation lag: a token stays valid for
// its whole lifetime (5 minutes) after the session or key behind it ends.
//
// Claims: sub (actor_id), actor_type, roles, microdao_ids, memberships,
// username and display_name (humans), iat, exp, jti. Verification accepts
// only the header this code writes ({"alg":"HS256","typ":"JWT"}): no "none",
// no algorithm chosen by the token.

#include "shared/identity/actor_identity.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>

namespace daarion::identity {

inline constexpr std::chrono::seconds kJwtLifetime{300};
// Longer presented tokens are refused before any decoding.
inline constexpr qsizetype kMaxJwtLength = 8192;

struct IssuedJwt {
    QString token;
    QString jti;
    QDateTime issuedAt;
    QDateTime expiresAt;
};

// `secret` is JWT_SECRET (at least 32 bytes, checked by the settings).
IssuedJwt issueJwt(const ActorIdentity &identity, const QByteArray &secret, const QDateTime &now,
                   std::chrono::seconds lifetime = kJwtLifetime);

enum class JwtRejection {
    Malformed,        // not three base64url parts of JSON objects with the claims we write
    UnsupportedHeader, // alg other than HS256 (or typ other than JWT)
    BadSignature,     // HMAC differs (compared in constant time)
    Expired,          // now >= exp
    NotYetValid,      // iat more than a minute in the future
};
QString jwtRejectionName(JwtRejection rejection); // "malformed", "unsupported_header", …

struct VerifiedJwt {
    ActorIdentity identity;
    QString jti;
    QDateTime issuedAt;
    QDateTime expiresAt;
};

struct JwtVerdict {
    bool valid = false;
    JwtRejection rejection = JwtRejection::Malformed; // when !valid
    VerifiedJwt token;                                // when valid
};

JwtVerdict verifyJwt(const QString &token, const QByteArray &secret, const QDateTime &now);

// Three dot-separated parts: worth trying as a JWT (session tokens and API
// keys never contain a dot).
bool looksLikeJwt(const QString &presented);

} // namespace daarion::identity
