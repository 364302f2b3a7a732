#pragma once
// What an audit row records: one enum value per kind of event, with the name
// stored in auth_events.event, in one table — writers name events by value,
// so a typo cannot compile. A reader meets names as stored (a newer version
// may write one this build does not know): auditEventTypeFromName() says
// whether it is one of ours.

#include <QLatin1StringView>
#include <QStringView>

#include <array>
#include <cstdint>
#include <optional>

namespace daarion::store
{

enum class AuditEventType : std::uint8_t {
    Registration, // a new account with its first passkey
    RegistrationFailure,
    LoginSuccess,
    LoginFailure,
    SessionRefresh, // token rotated
    Logout,
    SessionRevoked,
    TokenReused,       // a rotated-out token came back: family revoked
    CounterRegression, // possibly cloned passkey
    CounterRegressionCleared,
    PasskeyAdded,
    PasskeyDeleted,
    PasskeyRenamed,
    PasskeyDisabled,
    PasskeyEnabled,
    PasskeyFlagged, // its authenticator model got a bad metadata status
    UserDisabled,
    UserEnabled,
    MembershipGranted,
    MembershipRevoked,
    ApiKeyCreated,
    ApiKeyRevoked,
    EnrollmentIssued, // recovery or invite link
    EnrollmentUsed,
    EnrollmentRevoked,  // by an operator, the owner, or a newer link
    MetadataImported,   // a FIDO MDS3 BLOB replaced the authenticator metadata
    DisplayNameChanged, // PATCH /auth/me
    Count               // not an event: the number of them; new ones go above
};

struct AuditEventSpec {
    AuditEventType type;
    const char *name; // [a-z_]{1,64}, as stored
};

inline constexpr std::array<AuditEventSpec, std::size_t(AuditEventType::Count)> kAuditEventTable{{
    AuditEventSpec{AuditEventType::Registration, "registration"},
    AuditEventSpec{AuditEventType::RegistrationFailure, "registration_failure"},
    AuditEventSpec{AuditEventType::LoginSuccess, "login_success"},
    AuditEventSpec{AuditEventType::LoginFailure, "login_failure"},
    AuditEventSpec{AuditEventType::SessionRefresh, "session_refresh"},
    AuditEventSpec{AuditEventType::Logout, "logout"},
    AuditEventSpec{AuditEventType::SessionRevoked, "session_revoked"},
    AuditEventSpec{AuditEventType::TokenReused, "token_reused"},
    AuditEventSpec{AuditEventType::CounterRegression, "counter_regression"},
    AuditEventSpec{AuditEventType::CounterRegressionCleared, "counter_regression_cleared"},
    AuditEventSpec{AuditEventType::PasskeyAdded, "passkey_added"},
    AuditEventSpec{AuditEventType::PasskeyDeleted, "passkey_deleted"},
    AuditEventSpec{AuditEventType::PasskeyRenamed, "passkey_renamed"},
    AuditEventSpec{AuditEventType::PasskeyDisabled, "passkey_disabled"},
    AuditEventSpec{AuditEventType::PasskeyEnabled, "passkey_enabled"},
    AuditEventSpec{AuditEventType::PasskeyFlagged, "passkey_flagged"},
    AuditEventSpec{AuditEventType::UserDisabled, "user_disabled"},
    AuditEventSpec{AuditEventType::UserEnabled, "user_enabled"},
    AuditEventSpec{AuditEventType::MembershipGranted, "membership_granted"},
    AuditEventSpec{AuditEventType::MembershipRevoked, "membership_revoked"},
    AuditEventSpec{AuditEventType::ApiKeyCreated, "api_key_created"},
    AuditEventSpec{AuditEventType::ApiKeyRevoked, "api_key_revoked"},
    AuditEventSpec{AuditEventType::EnrollmentIssued, "enrollment_issued"},
    AuditEventSpec{AuditEventType::EnrollmentUsed, "enrollment_used"},
    AuditEventSpec{AuditEventType::EnrollmentRevoked, "enrollment_revoked"},
    AuditEventSpec{AuditEventType::MetadataImported, "metadata_imported"},
    AuditEventSpec{AuditEventType::DisplayNameChanged, "display_name_changed"},
}};

consteval bool auditEventTableIsComplete()
{
    for (std::size_t i = 0; i < kAuditEventTable.size(); ++i) {
        if (std::size_t(kAuditEventTable[i].type) != i || kAuditEventTable[i].name == nullptr)
            return false;
    }
    return true;
}
static_assert(auditEventTableIsComplete(),
              "kAuditEventTable needs one row per AuditEventType, in order");

inline QLatin1StringView auditEventName(AuditEventType type)
{
    return QLatin1StringView(kAuditEventTable[std::size_t(type)].name);
}

std::optional<AuditEventType> auditEventTypeFromName(QStringView name);

} // namespace daarion::store
