#include "shared/identity/enrollment_links.h"

#include "shared/identity/passkey_ceremonies.h"
#include "shared/identity/secret_token.h"
#include "shared/store/database.h"

namespace daarion::identity
{

namespace
{
constexpr int kUserHandleBytes = 32; // as a sign-up's
constexpr qsizetype kMaxNoteLength = 200;

// One line of text a person typed: bounded, no control characters.
bool isPlainLine(const QString &text, qsizetype maxLength)
{
    if (text.size() > maxLength)
        return false;
    for (QChar c : text) {
        if (c.category() == QChar::Other_Control || c.isNull())
            return false;
    }
    return true;
}
} // namespace

QString enrollmentUrl(const QString &publicUrl, const QString &token)
{
    QString base = publicUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base + QStringLiteral("/enroll#token=") + token;
}

ServiceResult<IssuedEnrollmentLink> issueEnrollmentLink(store::Database &database,
                                                        const EnrollmentLinkRequest &request,
                                                        const QString &publicUrl,
                                                        const store::AuditContext &issuer)
{
    if (!PasskeyCeremonies::isValidUsername(request.username))
        return serviceError(ErrorCode::InvalidRequest,
                            QStringLiteral("username must be 3-32 characters of a-z 0-9 _ . -"));
    if (request.invite && !PasskeyCeremonies::isValidDisplayName(request.displayName))
        return serviceError(
            ErrorCode::InvalidRequest,
            QStringLiteral(
                "display name must be at most 64 characters, without control characters"));
    if (request.lifetime < store::kMinEnrollmentLifetime ||
        request.lifetime > store::kMaxEnrollmentLifetime)
        return serviceError(ErrorCode::InvalidRequest,
                            QStringLiteral("ttl must be 5 minutes to 7 days"));
    if (request.delay < std::chrono::seconds(0) || request.delay > store::kMaxEnrollmentDelay)
        return serviceError(ErrorCode::InvalidRequest, QStringLiteral("delay must be 0 to 7 days"));
    if (!isPlainLine(request.note, kMaxNoteLength))
        return serviceError(
            ErrorCode::InvalidRequest,
            QStringLiteral("note must be at most 200 characters, without control characters"));
    if (publicUrl.isEmpty())
        return serviceError(ErrorCode::InvalidRequest,
                            QStringLiteral("no PUBLIC_URL (or ORIGIN) to build the link on"));

    store::NewEnrollment enrollment;
    if (request.invite) {
        enrollment.invite =
            store::NewUser{request.username,
                           request.displayName.isEmpty() ? request.username : request.displayName,
                           randomBytes(kUserHandleBytes)};
    } else {
        auto user = store::UserRepository(database).findByUsername(request.username);
        if (!user) {
            if (user.kind() == store::StoreErrorKind::NotFound)
                return serviceError(ErrorCode::NotFound,
                                    QStringLiteral("no account is named %1 (an invite needs --new)")
                                        .arg(request.username));
            return fromStore(user.error());
        }
        enrollment.userId = user->id;
    }
    const IssuedSecret token = issueEnrollmentToken();
    enrollment.tokenHash = token.hash;
    enrollment.delay = request.delay;
    enrollment.lifetime = request.lifetime;
    enrollment.note = request.note;
    enrollment.context = issuer;

    auto issued = store::EnrollmentRepository(database).issue(enrollment);
    if (!issued) {
        switch (issued.kind()) {
        case store::StoreErrorKind::UsernameTaken:
            return serviceError(ErrorCode::UsernameTaken,
                                QStringLiteral("the username %1 is taken").arg(request.username));
        case store::StoreErrorKind::Disabled:
            return serviceError(ErrorCode::UserDisabled,
                                QStringLiteral("the account %1 is disabled; enable it first")
                                    .arg(request.username));
        case store::StoreErrorKind::NotFound:
            return serviceError(ErrorCode::NotFound,
                                QStringLiteral("no account is named %1").arg(request.username));
        default:
            return fromStore(issued.error());
        }
    }
    return IssuedEnrollmentLink{issued->enrollment, issued->user, token.text,
                                enrollmentUrl(publicUrl, token.text), issued->superseded};
}

} // namespace daarion::identity
