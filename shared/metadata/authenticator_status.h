#pragma once
// The AuthenticatorStatus values of FIDO MDS3 status reports (FIDO Metadata
// Service v3.0 §3.1.4, plus RETIRED of v3.1), and which of them forbid an authenticator here.

#include <QString>

#include <optional>

namespace daarion::metadata
{

enum class AuthenticatorStatus {
    NotFidoCertified,
    FidoCertified,
    UserVerificationBypass,
    AttestationKeyCompromise,
    UserKeyRemoteCompromise,
    UserKeyPhysicalCompromise,
    UpdateAvailable,
    Retired,
    Revoked,
    SelfAssertionSubmitted,
    FidoCertifiedL1,
    FidoCertifiedL1Plus,
    FidoCertifiedL2,
    FidoCertifiedL2Plus,
    FidoCertifiedL3,
    FidoCertifiedL3Plus,
};

// "USER_VERIFICATION_BYPASS", … exactly as MDS writes it.
QString authenticatorStatusName(AuthenticatorStatus status);
// The status a name stands for; nothing for a name this table does not know
// (a later MDS may add some: they are kept as text and forbid nothing).
std::optional<AuthenticatorStatus> authenticatorStatusFromName(const QString &name);

// The five statuses that make a model untrustworthy (API.md "Authenticator
// metadata"): registration is refused and existing passkeys are flagged.
bool isCompromisingStatus(AuthenticatorStatus status);
bool isCompromisingStatusName(const QString &name);

} // namespace daarion::metadata
