#include "console/passkeys/passkeys_page.h"

#include "console/actions/operator_actions.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"
#include "console/passkeys/passkey_list_model.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace daarion::console {

using namespace daarion::store;

PasskeysPage::PasskeysPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_model(new PasskeyListModel(this)), m_actions(actions),
      m_search(new QLineEdit(this)), m_flaggedOnly(new QCheckBox(tr("Counter regressions only"), this)),
      m_fullIds(new QCheckBox(tr("Full credential IDs"), this)), m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search owner, device or credential ID"));
    m_search->setClearButtonEnabled(true);
    filterRow()->addWidget(m_search, 1);
    filterRow()->addWidget(m_flaggedOnly);
    filterRow()->addWidget(m_fullIds);

    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &PasskeysPage::reload);
    connect(m_flaggedOnly, &QCheckBox::toggled, this, &PasskeysPage::reload);
    connect(m_fullIds, &QCheckBox::toggled, this, [this](bool full) {
        m_model->setShowFullCredentialIds(full);
        table()->resizeColumnToContents(PasskeyListModel::CredentialId);
    });

    table()->setModel(m_model);
    watchSelection();

    if (m_actions) {
        m_disable = addOperatorAction(tr("Disable passkey"), tr("The passkey can no longer sign in"));
        m_enable = addOperatorAction(tr("Enable passkey"), tr("Let the passkey sign in again"));
        m_delete = addOperatorAction(tr("Delete passkey"), tr("Remove the passkey for good"));
        connect(m_disable, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->setPasskeyDisabled(m_model->passkeyAt(row), true);
        });
        connect(m_enable, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->setPasskeyDisabled(m_model->passkeyAt(row), false);
        });
        connect(m_delete, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->deletePasskey(m_model->passkeyAt(row));
        });
    }
}

void PasskeysPage::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void PasskeysPage::setFlaggedOnly(bool flaggedOnly)
{
    m_flaggedOnly->setChecked(flaggedOnly);
}

void PasskeysPage::setShowFullCredentialIds(bool full)
{
    m_fullIds->setChecked(full);
}

void PasskeysPage::reload()
{
    m_typing->stop();
    PasskeyQuery query;
    query.search = m_search->text().trimmed();
    query.flaggedOnly = m_flaggedOnly->isChecked();
    query.limit = 1000;
    const quint64 number = beginQuery();
    m_client.call(
        this, [query](Database &db) { return PasskeyRepository(db).list(query); },
        [this, number](const StoreResult<QList<PasskeyWithOwner>> &passkeys) {
            if (!isNewest(number))
                return;
            if (!passkeys)
                return reportFailure(describeStoreError(passkeys.error()));
            m_model->setRecords(*passkeys);
            reportLoaded(int(passkeys->size()));
        });
}

void PasskeysPage::updateActions()
{
    if (!m_actions)
        return;
    const int row = selectedRow();
    const bool selected = row >= 0;
    const bool disabled = selected && m_model->passkeyAt(row).passkey.disabled();
    m_disable->setEnabled(selected && !disabled);
    m_enable->setEnabled(selected && disabled);
    m_delete->setEnabled(selected);
}

} // namespace daarion::console
