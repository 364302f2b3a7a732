#include "console/access/access_page.h"

#include "console/access/api_key_list_model.h"
#include "console/access/membership_list_model.h"
#include "console/actions/operator_actions.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"

#include "shared/store/user_repository.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QTableView>

namespace daarion::console {

using namespace daarion::store;

namespace {

struct AccessListing {
    QList<MembershipRecord> memberships;
    QList<ApiKeyRecord> keys;
    QHash<QUuid, QString> creatorNames;
};

StoreResult<AccessListing> loadAccess(Database &db, AccessPage::Scope scope, const QString &name)
{
    AccessListing listing;
    ApiKeyQuery keyQuery;
    keyQuery.limit = 1000;
    MembershipRepository memberships(db);
    switch (scope) {
    case AccessPage::Scope::Everything: {
        auto all = memberships.listAll(1000);
        if (!all)
            return all.error();
        listing.memberships = *all;
        break;
    }
    case AccessPage::Scope::User: {
        auto user = UserRepository(db).findByUsername(name);
        if (!user)
            return user.error();
        auto ofUser = memberships.listByUser(user->id);
        if (!ofUser)
            return ofUser.error();
        listing.memberships = *ofUser;
        keyQuery.createdByUserId = user->id;
        break;
    }
    case AccessPage::Scope::Microdao: {
        auto ofMicrodao = memberships.listByMicrodao(name);
        if (!ofMicrodao)
            return ofMicrodao.error();
        listing.memberships = *ofMicrodao;
        keyQuery.microdaoId = name;
        break;
    }
    }
    auto keys = ApiKeyRepository(db).list(keyQuery);
    if (!keys)
        return keys.error();
    listing.keys = *keys;
    // Creators by name; a handful of distinct users at most in practice.
    QSet<QUuid> creators;
    for (const ApiKeyRecord &key : listing.keys) {
        if (!key.createdByUserId.isNull())
            creators.insert(key.createdByUserId);
    }
    UserRepository users(db);
    for (const QUuid &id : creators) {
        if (auto user = users.findById(id))
            listing.creatorNames.insert(id, user->username);
    }
    return listing;
}

} // namespace

AccessPage::AccessPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_memberships(new MembershipListModel(this)), m_apiKeys(new ApiKeyListModel(this)),
      m_actions(actions), m_scope(new QComboBox(this)), m_name(new QLineEdit(this)), m_keyTable(new QTableView(this))
{
    m_scope->addItem(tr("Everyone"), int(Scope::Everything));
    m_scope->addItem(tr("User"), int(Scope::User));
    m_scope->addItem(tr("microDAO"), int(Scope::Microdao));
    m_name->setPlaceholderText(tr("username, or microdao:<id>; Enter to show"));
    m_name->setClearButtonEnabled(true);
    filterRow()->addWidget(new QLabel(tr("Memberships and API keys of"), this));
    filterRow()->addWidget(m_scope);
    filterRow()->addWidget(m_name, 1);
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] {
        m_name->setEnabled(m_scope->currentData().toInt() != int(Scope::Everything));
        reload();
    });
    connect(m_name, &QLineEdit::returnPressed, this, &AccessPage::reload);
    m_name->setEnabled(false);

    table()->setModel(m_memberships);
    m_keyTable->setModel(m_apiKeys);
    m_keyTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_keyTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_keyTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_keyTable->setAlternatingRowColors(true);
    m_keyTable->verticalHeader()->hide();
    m_keyTable->horizontalHeader()->setStretchLastSection(true);
    addBelowTable(new QLabel(tr("API keys"), this));
    addBelowTable(m_keyTable, 1);
    watchSelection();
    connect(m_keyTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateActions(); });
    connect(m_apiKeys, &QAbstractItemModel::modelReset, this, [this] { updateActions(); });

    if (m_actions) {
        m_grant = addOperatorAction(tr("Grant membership…"), tr("Add a user to a microDAO or change their role"));
        m_revokeMembership = addOperatorAction(tr("Revoke membership"), tr("Remove the selected membership"));
        m_revokeKey = addOperatorAction(tr("Revoke API key"), tr("The selected key stops working at once"));
        connect(m_grant, &QAction::triggered, this, [this] {
            MembershipGrant suggestion;
            const auto scope = Scope(m_scope->currentData().toInt());
            if (scope == Scope::User)
                suggestion.username = m_name->text().trimmed();
            else if (scope == Scope::Microdao)
                suggestion.microdaoId = m_name->text().trimmed();
            suggestion.role = QStringLiteral("member");
            m_actions->grantMembership(suggestion);
        });
        connect(m_revokeMembership, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->revokeMembership(m_memberships->membershipAt(row));
        });
        connect(m_revokeKey, &QAction::triggered, this, [this] {
            if (const int row = selectedKeyRow(); row >= 0)
                m_actions->revokeApiKey(m_apiKeys->keyAt(row));
        });
    }
}

void AccessPage::setScope(Scope scope, const QString &name)
{
    m_name->setText(name);
    const int index = m_scope->findData(int(scope));
    if (index == m_scope->currentIndex())
        reload();
    else
        m_scope->setCurrentIndex(index); // reloads
}

int AccessPage::selectedKeyRow() const
{
    const QModelIndexList rows = m_keyTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AccessPage::reload()
{
    const auto scope = Scope(m_scope->currentData().toInt());
    const QString name = m_name->text().trimmed();
    if (scope != Scope::Everything && name.isEmpty()) {
        m_memberships->setRecords({});
        m_apiKeys->setRecords({});
        setStatus(scope == Scope::User ? tr("Type a username and press Enter.")
                                       : tr("Type a microDAO id (microdao:…) and press Enter."));
        return;
    }
    const quint64 number = beginQuery();
    m_client.call(
        this, [scope, name](Database &db) { return loadAccess(db, scope, name); },
        [this, number, scope, name](const StoreResult<AccessListing> &listing) {
            if (!isNewest(number))
                return;
            if (!listing) {
                if (listing.kind() == StoreErrorKind::NotFound && scope == Scope::User) {
                    m_memberships->setRecords({});
                    m_apiKeys->setRecords({});
                    return reportFailure(tr("no user named %1").arg(name));
                }
                return reportFailure(describeStoreError(listing.error()));
            }
            m_memberships->setRecords(listing->memberships);
            m_apiKeys->setRecords(listing->keys);
            m_apiKeys->setCreatorNames(listing->creatorNames);
            m_keyTable->resizeColumnsToContents();
            reportLoaded(int(listing->memberships.size()));
            setStatus(tr("%n membership(s)", nullptr, int(listing->memberships.size())) + QStringLiteral(", ") +
                      tr("%n API key(s)", nullptr, int(listing->keys.size())));
        });
}

void AccessPage::updateActions()
{
    if (!m_actions)
        return;
    m_grant->setEnabled(true);
    m_revokeMembership->setEnabled(selectedRow() >= 0);
    const int keyRow = selectedKeyRow();
    m_revokeKey->setEnabled(keyRow >= 0 && m_apiKeys->keyAt(keyRow).state != ApiKeyState::Revoked);
}

} // namespace daarion::console
