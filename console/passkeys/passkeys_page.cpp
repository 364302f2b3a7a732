#include "console/passkeys/passkeys_page.h"

#include "console/actions/operator_actions.h"
#include "console/authenticators/authenticator_icon.h"
#include "console/backend/store_client.h"
#include "console/common/display_format.h"
#include "console/common/store_error_text.h"
#include "console/passkeys/passkey_list_model.h"

#include "shared/store/metadata_repository.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace daarion::console {

using namespace daarion::store;

PasskeysPage::PasskeysPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_model(new PasskeyListModel(this)), m_actions(actions),
      m_search(new QLineEdit(this)),
      m_flaggedOnly(new QCheckBox(tr("Counter regressions only"), this)),
      m_fullIds(new QCheckBox(tr("Full credential IDs"), this)),
      m_authenticator(new QComboBox(this)), m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search owner, device or credential ID"));
    m_search->setClearButtonEnabled(true);
    filterRow()->addWidget(m_search, 1);
    m_authenticator->setToolTip(tr("Only the passkeys of one authenticator model"));
    m_authenticator->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_authenticator->addItem(tr("All authenticators"), QByteArray());
    filterRow()->addWidget(m_authenticator);
    filterRow()->addWidget(m_flaggedOnly);
    filterRow()->addWidget(m_fullIds);

    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &PasskeysPage::reload);
    connect(m_flaggedOnly, &QCheckBox::toggled, this, &PasskeysPage::reload);
    connect(m_authenticator, &QComboBox::activated, this, &PasskeysPage::reload);
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

bool PasskeysPage::setAuthenticatorFilter(const QByteArray &aaguid)
{
    const int index = m_authenticator->findData(aaguid);
    if (index < 0)
        return false;
    m_authenticator->setCurrentIndex(index);
    reload();
    return true;
}

namespace
{

// One answer for the page: the passkeys, their models' names and icons, and
// every model in use (for the filter).
struct PasskeysAnswer {
    QList<PasskeyWithOwner> passkeys;
    identity::AuthenticatorNames names;
    QList<AuthenticatorModel> models;
    identity::AuthenticatorNames modelNames;
};

StoreResult<PasskeysAnswer> loadPasskeys(Database &db, const PasskeyQuery &query)
{
    PasskeysAnswer answer;
    auto passkeys = PasskeyRepository(db).list(query);
    if (!passkeys)
        return passkeys.error();
    answer.passkeys = std::move(passkeys).value();
    auto models = MetadataRepository(db).authenticatorModels();
    if (!models)
        return models.error();
    answer.models = std::move(models).value();
    QList<QByteArray> aaguids;
    for (const AuthenticatorModel &model : answer.models)
        aaguids.append(model.aaguid);
    auto names = identity::describeAuthenticators(db, aaguids);
    if (!names)
        return storeError(StoreErrorKind::Failed, names.error().message);
    answer.modelNames = names.value();
    for (const PasskeyWithOwner &row : answer.passkeys) {
        if (const auto found = answer.modelNames.constFind(row.passkey.aaguid);
            found != answer.modelNames.constEnd())
            answer.names.insert(found.key(), found.value());
    }
    return answer;
}

} // namespace

void PasskeysPage::reload()
{
    m_typing->stop();
    PasskeyQuery query;
    query.search = m_search->text().trimmed();
    query.flaggedOnly = m_flaggedOnly->isChecked();
    query.aaguid = m_authenticator->currentData().toByteArray();
    query.limit = 1000;
    const quint64 number = beginQuery();
    m_client.call(
        this, [query](Database &db) { return loadPasskeys(db, query); },
        [this, number](const StoreResult<PasskeysAnswer> &answer) {
            if (!isNewest(number))
                return;
            if (!answer)
                return reportFailure(describeStoreError(answer.error()));
            fillAuthenticatorFilter(answer->models, answer->modelNames);
            m_model->setAuthenticators(answer->names);
            m_model->setRecords(answer->passkeys);
            reportLoaded(int(answer->passkeys.size()));
        });
}

void PasskeysPage::fillAuthenticatorFilter(const QList<AuthenticatorModel> &models,
                                           const identity::AuthenticatorNames &names)
{
    const QByteArray current = m_authenticator->currentData().toByteArray();
    m_authenticator->clear();
    m_authenticator->addItem(tr("All authenticators"), QByteArray());
    for (const AuthenticatorModel &model : models) {
        if (model.aaguid.isEmpty())
            continue; // passkeys that name no model cannot be picked by it
        const auto name = names.constFind(model.aaguid);
        const QString label = name != names.constEnd() ? name->name
                              : model.aaguid == QByteArray(16, '\0')
                                  ? tr("(model not named)")
                                  : display::aaguid(model.aaguid);
        m_authenticator->addItem(name != names.constEnd() ? authenticatorIcon(name->iconLight)
                                                          : QIcon(),
                                 tr("%1 (%2)").arg(label).arg(model.passkeys), model.aaguid);
    }
    m_authenticator->setCurrentIndex(qMax(0, m_authenticator->findData(current)));
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
