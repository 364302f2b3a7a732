#pragma once
// Passkeys: every credential with its counters, flags and authenticator
// model; search, flagged only, one model only, full credential IDs on
// demand; disable, enable and delete.

#include "console/common/list_page.h"

#include "shared/identity/authenticator_directory.h"
#include "shared/store/metadata_repository.h"

class QCheckBox;
class QComboBox;
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
    // Only passkeys of this model (16 bytes; empty: every model). The model
    // must be one the filter lists (it lists the models passkeys use).
    bool setAuthenticatorFilter(const QByteArray &aaguid);
    QComboBox *authenticatorFilter() const { return m_authenticator; }

public slots:
    void reload() override;

protected:
    void updateActions() override;

private:
    void fillAuthenticatorFilter(const QList<store::AuthenticatorModel> &models,
                                 const identity::AuthenticatorNames &names);

private:
    PasskeyListModel *m_model;
    OperatorActions *m_actions;
    QLineEdit *m_search;
    QCheckBox *m_flaggedOnly;
    QCheckBox *m_fullIds;
    QComboBox *m_authenticator;
    QTimer *m_typing;
    QAction *m_disable = nullptr;
    QAction *m_enable = nullptr;
    QAction *m_delete = nullptr;
};

} // namespace daarion::console
