#pragma once
// Issuing enrollment links (recovery and invites), for the operator's CLI
// (daarion-authd enroll create) and console alike: the token is made here,
// shown once in the link, and only its SHA-256 reaches the store. A link is
// PUBLIC_URL/enroll#token=de_…: the token travels in the fragment, so it
// never reaches a server log or a Referer.

#include "shared/identity/service_error.h"
#include "shared/store/audit_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/user_repository.h"

#include <QString>

#include <chrono>

namespace daarion::store
{
class Database;
}

namespace daarion::identity
{

struct EnrollmentLinkRequest {
    QString username;
    bool invite = false; // create the account (reserved, no passkey until the link is used)
    QString displayName; // invite only; default: the username
    std::chrono::seconds lifetime{24 * 3600}; // 5 minutes to 7 days, counted from usable_at
    std::chrono::seconds delay{0};            // 0 to 7 days
    QString note;                             // ≤ 200 characters, for operators
};

struct IssuedEnrollmentLink {
    store::EnrollmentRecord enrollment;
    store::UserRecord user;
    QString token; // shown once
    QString url;   // publicUrl + "/enroll#token=" + token
    qint64 superseded = 0;
};

// The link for a token: `publicUrl` (PUBLIC_URL, or the first ORIGIN) + "/enroll#token=" + token.
QString enrollmentUrl(const QString &publicUrl, const QString &token);

// invalid_request (a value out of bounds, the message says which),
// not_found (no such account), username_taken (an invite for a name in
// use), user_disabled, unavailable. `issuer` names the operator.
ServiceResult<IssuedEnrollmentLink> issueEnrollmentLink(store::Database &database,
                                                        const EnrollmentLinkRequest &request,
                                                        const QString &publicUrl,
                                                        const store::AuditContext &issuer);

} // namespace daarion::identity
