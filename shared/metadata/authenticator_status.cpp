#include "shared/metadata/authenticator_status.h"

namespace daarion::metadata
{

namespace
{

struct StatusRow {
    AuthenticatorStatus status;
    const char *name;
    bool compromising;
};

constexpr StatusRow kStatuses[] = {
    {AuthenticatorStatus::NotFidoCertified, "NOT_FIDO_CERTIFIED", false},
    {AuthenticatorStatus::FidoCertified, "FIDO_CERTIFIED", false},
    {AuthenticatorStatus::UserVerificationBypass, "USER_VERIFICATION_BYPASS", true},
    {AuthenticatorStatus::AttestationKeyCompromise, "ATTESTATION_KEY_COMPROMISE", true},
    {AuthenticatorStatus::UserKeyRemoteCompromise, "USER_KEY_REMOTE_COMPROMISE", true},
    {AuthenticatorStatus::UserKeyPhysicalCompromise, "USER_KEY_PHYSICAL_COMPROMISE", true},
    {AuthenticatorStatus::UpdateAvailable, "UPDATE_AVAILABLE", false},
    {AuthenticatorStatus::Retired, "RETIRED", false},
    {AuthenticatorStatus::Revoked, "REVOKED", true},
    {AuthenticatorStatus::SelfAssertionSubmitted, "SELF_ASSERTION_SUBMITTED", false},
    {AuthenticatorStatus::FidoCertifiedL1, "FIDO_CERTIFIED_L1", false},
    {AuthenticatorStatus::FidoCertifiedL1Plus, "FIDO_CERTIFIED_L1plus", false},
    {AuthenticatorStatus::FidoCertifiedL2, "FIDO_CERTIFIED_L2", false},
    {AuthenticatorStatus::FidoCertifiedL2Plus, "FIDO_CERTIFIED_L2plus", false},
    {AuthenticatorStatus::FidoCertifiedL3, "FIDO_CERTIFIED_L3", false},
    {AuthenticatorStatus::FidoCertifiedL3Plus, "FIDO_CERTIFIED_L3plus", false},
};

} // namespace

QString authenticatorStatusName(AuthenticatorStatus status)
{
    for (const StatusRow &row : kStatuses) {
        if (row.status == status)
            return QString::fromLatin1(row.name);
    }
    return QString();
}

std::optional<AuthenticatorStatus> authenticatorStatusFromName(const QString &name)
{
    for (const StatusRow &row : kStatuses) {
        if (name == QLatin1StringView(row.name))
            return row.status;
    }
    return std::nullopt;
}

bool isCompromisingStatus(AuthenticatorStatus status)
{
    for (const StatusRow &row : kStatuses) {
        if (row.status == status)
            return row.compromising;
    }
    return false;
}

bool isCompromisingStatusName(const QString &name)
{
    const auto status = authenticatorStatusFromName(name);
    return status && isCompromisingStatus(*status);
}

} // namespace daarion::metadata
