#pragma once
// Passkeys: every credential with its counters and flags; search, flagged
// only, full credential IDs on demand; disable, enable and delete.

#include "console/common/list_page.h"

class QCheckBox;
class QLineEdit;
class QTimer;

namespace daarion::console {

class OperatorActions;
class PasskeyListModel;

class PasskeysPage : public ListPage
{
    Q_OBJECT

public:
    PasskeysPage(StoreClient &client, OperatorActions *actions, QWidget *parent = nullptr);

    PasskeyListModel *model() const { return m_model; }
    void setSearchText(const QString &text);
    void setFlaggedOnly(bool flaggedOnly);
    void setShowFullCredentialIds(bool full);

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    PasskeyListModel *m_model;
    OperatorActions *m_actions;
    QLineEdit *m_search;
    QCheckBox *m_flaggedOnly;
    QCheckBox *m_fullIds;
    QTimer *m_typing;
    QAction *m_disable = nullptr;
    QAction *m_enable = nullptr;
    QAction *m_delete = nullptr;
};

} // namespace daarion::console
