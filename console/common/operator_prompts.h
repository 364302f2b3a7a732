#pragma once
// Everything an operator action asks a person: confirmation, input for a
// new membership, and the report of a failure. The main window passes the
// dialog-based implementation; tests pass their own answers. Never global.

#include <QString>
#include <QStringList>

#include <optional>

class QWidget;

namespace daarion::console {

struct MembershipGrant {
    QString username;
    QString microdaoId; // "microdao:7"
    QString role;       // owner | admin | member
};

class OperatorPrompts
{
public:
    virtual ~OperatorPrompts() = default;
    // True when the operator confirms `question`.
    virtual bool confirm(const QString &title, const QString &question) = 0;
    // The membership to grant, starting from `suggestion`; nullopt when cancelled.
    virtual std::optional<MembershipGrant> membershipToGrant(const MembershipGrant &suggestion) = 0;
    virtual void showError(const QString &title, const QString &message) = 0;
};

// Message boxes and a small form, parented to `parent`.
class DialogPrompts : public OperatorPrompts
{
public:
    explicit DialogPrompts(QWidget *parent) : m_parent(parent) {}
    bool confirm(const QString &title, const QString &question) override;
    std::optional<MembershipGrant> membershipToGrant(const MembershipGrant &suggestion) override;
    void showError(const QString &title, const QString &message) override;

private:
    QWidget *m_parent;
};

} // namespace daarion::console
