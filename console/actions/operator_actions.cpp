#include "console/actions/operator_actions.h"

#include "console/backend/store_client.h"
#include "console/common/display_format.h"
#include "console/common/store_error_text.h"

namespace daarion::console {

using namespace daarion::store;

namespace {
// The reason recorded on sessions an operator ends.
const QString revokedByOperator = QStringLiteral("operator");

QString userLabel(const QString &username, const QUuid &id)
{
    return username.isEmpty() ? id.toString(QUuid::WithoutBraces) : username;
}
} // namespace

OperatorActions::OperatorActions(StoreClient &client, OperatorIdentity identity, OperatorPrompts &prompts,
                                 QObject *parent)
    : QObject(parent), m_client(client), m_identity(std::move(identity)), m_prompts(prompts)
{
}

bool OperatorActions::allowed(const QString &title, const QString &question)
{
    if (m_identity.readOnly)
        return false;
    return m_prompts.confirm(title, question);
}

template <typename Job>
void OperatorActions::run(const QString &summary, Job job)
{
    m_client.call(this, std::move(job), [this, summary](const auto &result) {
        if (result.ok()) {
            emit succeeded(summary);
        } else {
            const QString reason = describeStoreError(result.error());
            m_prompts.showError(summary, reason);
            emit failed(summary, reason);
        }
        emit dataChanged();
    });
}

bool OperatorActions::revokeSession(const SessionWithOwner &session)
{
    const QString who = userLabel(session.username, session.session.userId);
    if (!allowed(tr("Revoke session"),
                 tr("Revoke this session of %1 (from %2, started %3)? It stops working at once.")
                     .arg(who, session.session.clientIp.isEmpty() ? tr("unknown address") : session.session.clientIp,
                          session.session.createdAt.toLocalTime().toString(Qt::ISODate))))
        return false;
    const QUuid id = session.session.id;
    const AuditContext context = m_identity.auditContext();
    run(tr("Revoke a session of %1").arg(who), [id, context](Database &db) {
        return SessionRepository(db).revoke(id, QUuid(), revokedByOperator, context);
    });
    return true;
}

bool OperatorActions::revokeAllSessions(const QUuid &userId, const QString &username)
{
    const QString who = userLabel(username, userId);
    if (!allowed(tr("Revoke all sessions"), tr("Revoke every live session of %1? They are signed out everywhere.").arg(who)))
        return false;
    const AuditContext context = m_identity.auditContext();
    run(tr("Revoke all sessions of %1").arg(who), [userId, context](Database &db) {
        return SessionRepository(db).revokeAllOfUser(userId, revokedByOperator, context);
    });
    return true;
}

bool OperatorActions::setUserDisabled(const UserRecord &user, bool disabled)
{
    const QString question = disabled ? tr("Disable the account %1? Its live sessions are revoked and it can no "
                                           "longer sign in.").arg(user.username)
                                       : tr("Enable the account %1 again?").arg(user.username);
    if (!allowed(disabled ? tr("Disable user") : tr("Enable user"), question))
        return false;
    const QUuid id = user.id;
    const AuditContext context = m_identity.auditContext();
    run((disabled ? tr("Disable %1") : tr("Enable %1")).arg(user.username), [id, disabled, context](Database &db) {
        return UserRepository(db).setDisabled(id, disabled, context);
    });
    return true;
}

bool OperatorActions::setPasskeyDisabled(const PasskeyWithOwner &passkey, bool disabled)
{
    const QString name = passkey.passkey.deviceName.isEmpty() ? passkey.passkey.credentialId.left(10)
                                                              : passkey.passkey.deviceName;
    const QString question = disabled ? tr("Disable the passkey \"%1\" of %2? It can no longer sign in.")
                                            .arg(name, passkey.username)
                                      : tr("Enable the passkey \"%1\" of %2 again?").arg(name, passkey.username);
    if (!allowed(disabled ? tr("Disable passkey") : tr("Enable passkey"), question))
        return false;
    const QUuid id = passkey.passkey.id;
    const AuditContext context = m_identity.auditContext();
    run((disabled ? tr("Disable passkey \"%1\" of %2") : tr("Enable passkey \"%1\" of %2")).arg(name, passkey.username),
        [id, disabled, context](Database &db) { return PasskeyRepository(db).setDisabled(id, disabled, context); });
    return true;
}

bool OperatorActions::deletePasskey(const PasskeyWithOwner &passkey)
{
    const QString name = passkey.passkey.deviceName.isEmpty() ? passkey.passkey.credentialId.left(10)
                                                              : passkey.passkey.deviceName;
    if (!allowed(tr("Delete passkey"),
                 tr("Delete the passkey \"%1\" of %2 for good? This cannot be undone.").arg(name, passkey.username)))
        return false;
    const QUuid id = passkey.passkey.id;
    const AuditContext context = m_identity.auditContext();
    run(tr("Delete passkey \"%1\" of %2").arg(name, passkey.username),
        [id, context](Database &db) { return PasskeyRepository(db).remove(id, QUuid(), context); });
    return true;
}

bool OperatorActions::grantMembership(const MembershipGrant &suggestion)
{
    if (m_identity.readOnly)
        return false;
    const std::optional<MembershipGrant> grant = m_prompts.membershipToGrant(suggestion);
    if (!grant)
        return false;
    if (!m_prompts.confirm(tr("Grant membership"),
                           tr("Make %1 %2 of %3?").arg(grant->username, grant->role, grant->microdaoId)))
        return false;
    const AuditContext context = m_identity.auditContext();
    const MembershipGrant chosen = *grant;
    run(tr("Grant %1 of %2 to %3").arg(chosen.role, chosen.microdaoId, chosen.username),
        [chosen, context](Database &db) -> StoreResult<MembershipRecord> {
            auto user = UserRepository(db).findByUsername(chosen.username);
            if (!user)
                return user.error();
            return MembershipRepository(db).grant(user->id, chosen.microdaoId, chosen.role, context);
        });
    return true;
}

bool OperatorActions::revokeMembership(const MembershipRecord &membership)
{
    const QString who = userLabel(membership.username, membership.userId);
    if (!allowed(tr("Revoke membership"),
                 tr("Remove %1 (%2) from %3?").arg(who, membership.role, membership.microdaoId)))
        return false;
    const QUuid userId = membership.userId;
    const QString microdao = membership.microdaoId;
    const AuditContext context = m_identity.auditContext();
    run(tr("Remove %1 from %2").arg(who, microdao), [userId, microdao, context](Database &db) {
        return MembershipRepository(db).revoke(userId, microdao, context);
    });
    return true;
}

bool OperatorActions::revokeApiKey(const ApiKeyRecord &key)
{
    if (!allowed(tr("Revoke API key"),
                 tr("Revoke the API key %1 of %2? Callers using it are refused at once.").arg(key.keyPrefix, key.actorId())))
        return false;
    const QUuid id = key.id;
    const AuditContext context = m_identity.auditContext();
    run(tr("Revoke API key %1 of %2").arg(key.keyPrefix, key.actorId()),
        [id, context](Database &db) { return ApiKeyRepository(db).revoke(id, QString(), context); });
    return true;
}

bool OperatorActions::issueEnrollmentLink(const UserRecord &user)
{
    EnrollmentChoice suggestion;
    suggestion.username = user.username;
    return issue(suggestion);
}

bool OperatorActions::inviteUser()
{
    EnrollmentChoice suggestion;
    suggestion.invite = true;
    return issue(suggestion);
}

bool OperatorActions::issue(const EnrollmentChoice &suggestion)
{
    if (m_identity.readOnly)
        return false;
    const std::optional<EnrollmentChoice> choice = m_prompts.enrollmentToIssue(suggestion);
    if (!choice)
        return false;
    const auto hours = [](std::chrono::seconds s) {
        return QString::number(double(s.count()) / 3600.0, 'g', 4);
    };
    const QString when =
        choice->delay.count() > 0
            ? tr("usable after %1 h (until then %2's sessions can cancel it), then for %3 h")
                  .arg(hours(choice->delay), choice->username, hours(choice->lifetime))
            : tr("usable at once, for %1 h").arg(hours(choice->lifetime));
    const QString question = choice->invite ? tr("Create the account %1 and issue its invitation "
                                                 "link (%2)? Whoever opens the link creates the "
                                                 "account's first passkey.")
                                                  .arg(choice->username, when)
                                            : tr("Issue an enrollment link for %1 (%2)? Whoever "
                                                 "opens it can add a passkey to %1's account and "
                                                 "sign in; the account's other sessions end, and "
                                                 "older links of the account stop working.")
                                                  .arg(choice->username, when);
    if (!m_prompts.confirm(choice->invite ? tr("Invite a new user") : tr("Issue enrollment link"),
                           question))
        return false;

    identity::EnrollmentLinkRequest request;
    request.username = choice->username;
    request.invite = choice->invite;
    request.displayName = choice->displayName;
    request.lifetime = choice->lifetime;
    request.delay = choice->delay;
    request.note = choice->note;
    const QString publicUrl = m_identity.publicUrl;
    const AuditContext context = m_identity.auditContext();
    const QString summary = choice->invite
                                ? tr("Invite %1").arg(choice->username)
                                : tr("Issue an enrollment link for %1").arg(choice->username);
    m_client.call(
        this,
        [request, publicUrl, context](Database &db) {
            return identity::issueEnrollmentLink(db, request, publicUrl, context);
        },
        [this, summary](const identity::ServiceResult<identity::IssuedEnrollmentLink> &issued) {
            if (issued.ok()) {
                emit succeeded(summary);
                m_prompts.showEnrollmentLink(issued.value());
            } else {
                // Our own words about the request (which value, which account); never SQL.
                const QString reason = issued.error().clientMessage();
                m_prompts.showError(summary, reason);
                emit failed(summary, reason);
            }
            emit dataChanged();
        });
    return true;
}

bool OperatorActions::revokeEnrollment(const EnrollmentRecord &link)
{
    if (!allowed(
            tr("Revoke enrollment link"),
            tr("Revoke the enrollment link of %1 issued by %2 on %3? It stops working at once.")
                .arg(link.username, link.issuedBy, display::time(link.createdAt))))
        return false;
    const QUuid id = link.id;
    const AuditContext context = m_identity.auditContext();
    run(tr("Revoke the enrollment link of %1").arg(link.username), [id, context](Database &db) {
        return EnrollmentRepository(db).revoke(id, QUuid(), QStringLiteral("operator"), context);
    });
    return true;
}

} // namespace daarion::console
