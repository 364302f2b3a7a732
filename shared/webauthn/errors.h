#pragma once
// The closed set of reasons a WebAuthn response is rejected. Each code maps
// one-to-one to a stable machine code of the HTTP API (../API.md), so the
// daemon, the CLI and the tests speak the same words.

#include <QString>

#include <utility>
#include <variant>

namespace daarion::webauthn {

enum class ErrorCode {
    InvalidRequest,           // a required member is missing or has the wrong type
    ChallengeInvalid,         // unknown, expired, already used, or not the one issued
    TypeMismatch,             // clientDataJSON.type is not the ceremony's
    OriginMismatch,           // origin or topOrigin not allowed
    RpIdMismatch,             // rpIdHash is not SHA-256 of the RP ID
    UserPresenceRequired,     // UP flag clear
    UserVerificationRequired, // UV flag clear while policy requires it
    MalformedCredential,      // bytes that do not parse, or parse to something inconsistent
    UnsupportedAlgorithm,     // key type, curve or algorithm we do not accept
    AttestationInvalid,       // attestation statement does not verify (or untrusted under policy)
    BackupFlagsInvalid,       // BS without BE, or BE changed since registration
    UnknownCredential,        // credential not allowed for this ceremony or user
    SignatureInvalid,         // assertion signature does not verify
    CounterRegression,        // signature counter did not grow: possible clone
};

// The stable machine code, e.g. "rp_id_mismatch".
QString errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code;
    QString message; // for developers: what exactly was wrong; never contains secrets
};

// A value or the reason there is none. Small on purpose: C++20 has no std::expected.
// Other layers reuse it with their own error type (identity::ServiceError).
template <typename T, typename E = Error>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const & { return value(); }

    const E &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, E> m_state;
};

// For checks that yield nothing but a verdict.
struct Ok {
};
using Check = Result<Ok>;

inline Error fail(ErrorCode code, const QString &message) { return Error{code, message}; }

} // namespace daarion::webauthn
