#pragma once
// Memberships and API keys, of everyone, of one user or of one microDAO;
// grant and revoke memberships, revoke API keys.

#include "console/common/list_page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace daarion::console {

class ApiKeyListModel;
class MembershipListModel;
class OperatorActions;

class AccessPage : public ListPage
{
    Q_OBJECT

public:
    enum class Scope { Everything, User, Microdao };

    AccessPage(StoreClient &client, OperatorActions *actions, QWidget *parent = nullptr);

    MembershipListModel *memberships() const { return m_memberships; }
    ApiKeyListModel *apiKeys() const { return m_apiKeys; }
    QTableView *apiKeyTable() const { return m_keyTable; }
    // Shows what `name` (a username or "microdao:…") holds; reloads.
    void setScope(Scope scope, const QString &name = QString());

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    int selectedKeyRow() const;

    MembershipListModel *m_memberships;
    ApiKeyListModel *m_apiKeys;
    OperatorActions *m_actions;
    QComboBox *m_scope;
    QLineEdit *m_name;
    QTableView *m_keyTable;
    QAction *m_grant = nullptr;
    QAction *m_revokeMembership = nullptr;
    QAction *m_revokeKey = nullptr;
};

} // namespace daarion::console
