#pragma once
// Pending enrollment links: every account's, or one user's (the Users view
// shows the selected user's below its table); an operator revokes one.

#include "console/common/list_page.h"

#include <QUuid>

namespace daarion::console
{

class EnrollmentListModel;
class OperatorActions;

class EnrollmentsPage : public ListPage
{
    Q_OBJECT

public:
    // actions: null in read-only mode (no action is offered then).
    EnrollmentsPage(StoreClient &client, OperatorActions *actions, QWidget *parent = nullptr);

    EnrollmentListModel *model() const { return m_model; }
    // Only this account's links (null: every account's); reloads.
    void setUser(const QUuid &userId);
    QUuid user() const { return m_userId; }
    QAction *revokeAction() const { return m_revoke; }

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    EnrollmentListModel *m_model;
    OperatorActions *m_actions;
    QUuid m_userId;
    QAction *m_revoke = nullptr;
};

} // namespace daarion::console
