#pragma once
// Users: every account, searched as the operator types; disable, enable and
// sign a user out everywhere; issue an enrollment link for a user or invite a
// new one. Below the table, the pending enrollment links of the selected user
// (of everyone when none is selected), each revocable.

#include "console/common/list_page.h"

class QCheckBox;
class QLineEdit;
class QTimer;

namespace daarion::console {

class EnrollmentsPage;
class OperatorActions;
class UserListModel;

class UsersPage : public ListPage
{
    Q_OBJECT

public:
    // actions: null in read-only mode (no action is offered then).
    UsersPage(StoreClient &client, OperatorActions *actions, QWidget *parent = nullptr);

    UserListModel *model() const { return m_model; }
    EnrollmentsPage *enrollments() const { return m_enrollments; }
    QAction *issueLinkAction() const { return m_issueLink; }
    QAction *inviteAction() const { return m_invite; }
    void setSearchText(const QString &text); // as if typed

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    UserListModel *m_model;
    OperatorActions *m_actions;
    QLineEdit *m_search;
    QCheckBox *m_includeDisabled;
    QTimer *m_typing;
    QAction *m_disable = nullptr;
    QAction *m_enable = nullptr;
    QAction *m_revokeSessions = nullptr;
    QAction *m_issueLink = nullptr;
    QAction *m_invite = nullptr;
    EnrollmentsPage *m_enrollments;
};

} // namespace daarion::console
