#pragma once
// Sessions: search by owner, address or user agent, filter by state; revoke
// one session or every session of its owner.

#include "console/common/list_page.h"

class QComboBox;
class QLineEdit;
class QTimer;

namespace daarion::console {

class OperatorActions;
class SessionListModel;

class SessionsPage : public ListPage
{
    Q_OBJECT

public:
    SessionsPage(StoreClient &client, OperatorActions *actions, QWidget *parent = nullptr);

    SessionListModel *model() const { return m_model; }
    void setSearchText(const QString &text);
    // "live" | "expired" | "revoked" | "rotated", or empty for every state.
    void setStateFilter(const QString &stateName);

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    SessionListModel *m_model;
    OperatorActions *m_actions;
    QLineEdit *m_search;
    QComboBox *m_state;
    QTimer *m_typing;
    QAction *m_revoke = nullptr;
    QAction *m_revokeAll = nullptr;
};

} // namespace daarion::console
