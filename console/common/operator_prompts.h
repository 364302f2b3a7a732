#pragma once
// Everything an operator action asks a person: confirmation, input for a
// new membership or an enrollment link, the link once issued, and the report
// of a failure. The main window passes the dialog-based implementation;
// tests pass their own answers. Never global.

#include "shared/identity/enrollment_links.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

class QWidget;

namespace daarion::console {

struct MembershipGrant {
    QString username;
    QString microdaoId; // "microdao:7"
    QString role;       // owner | admin | member
};

// An enrollment link to issue: for an existing account (recovery) or, with
// invite, for a new one.
struct EnrollmentChoice {
    bool invite = false;
    QString username;    // the account's (fixed for a recovery link; typed for an invite)
    QString displayName; // invite only
    std::chrono::seconds lifetime{24 * 3600};
    std::chrono::seconds delay{0};
    QString note;
};

class OperatorPrompts
{
public:
    virtual ~OperatorPrompts() = default;
    // True when the operator confirms `question`.
    virtual bool confirm(const QString &title, const QString &question) = 0;
    // The membership to grant, starting from `suggestion`; nullopt when cancelled.
    virtual std::optional<MembershipGrant> membershipToGrant(const MembershipGrant &suggestion) = 0;
    // The link's details, starting from `suggestion`; nullopt when cancelled.
    virtual std::optional<EnrollmentChoice>
    enrollmentToIssue(const EnrollmentChoice &suggestion) = 0;
    // A link just issued: the only time its token is shown.
    virtual void showEnrollmentLink(const identity::IssuedEnrollmentLink &link) = 0;
    virtual void showError(const QString &title, const QString &message) = 0;
};

// Message boxes and a small form, parented to `parent`.
class DialogPrompts : public OperatorPrompts
{
public:
    explicit DialogPrompts(QWidget *parent) : m_parent(parent) {}
    bool confirm(const QString &title, const QString &question) override;
    std::optional<MembershipGrant> membershipToGrant(const MembershipGrant &suggestion) override;
    std::optional<EnrollmentChoice> enrollmentToIssue(const EnrollmentChoice &suggestion) override;
    void showEnrollmentLink(const identity::IssuedEnrollmentLink &link) override;
    void showError(const QString &title, const QString &message) override;

private:
    QWidget *m_parent;
};

} // namespace daarion::console
