#include "console/users/users_page.h"

#include "console/actions/operator_actions.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"
#include "console/enrollments/enrollments_page.h"
#include "console/users/user_list_model.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace daarion::console {

using namespace daarion::store;

UsersPage::UsersPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_model(new UserListModel(this)), m_actions(actions),
      m_search(new QLineEdit(this)), m_includeDisabled(new QCheckBox(tr("Include disabled"), this)),
      m_typing(new QTimer(this)), m_enrollments(new EnrollmentsPage(client, actions, this))
{
    m_search->setPlaceholderText(tr("Search username or display name"));
    m_search->setClearButtonEnabled(true);
    m_includeDisabled->setChecked(true);
    filterRow()->addWidget(m_search, 1);
    filterRow()->addWidget(m_includeDisabled);

    // Search as you type, one query per pause rather than per key.
    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &UsersPage::reload);
    connect(m_includeDisabled, &QCheckBox::toggled, this, &UsersPage::reload);

    table()->setModel(m_model);
    watchSelection();
    addBelowTable(m_enrollments);
    // The pending links follow the selected user.
    connect(table()->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const int row = selectedRow();
        const QUuid user = row >= 0 ? m_model->userAt(row).user.id : QUuid();
        if (user != m_enrollments->user())
            m_enrollments->setUser(user);
    });

    if (m_actions) {
        m_disable = addOperatorAction(tr("Disable user"), tr("Disable the account and revoke its sessions"));
        m_enable = addOperatorAction(tr("Enable user"), tr("Let the account sign in again"));
        m_revokeSessions = addOperatorAction(tr("Revoke all sessions"), tr("Sign the user out everywhere"));
        m_issueLink = addOperatorAction(
            tr("Issue enrollment link…"),
            tr("A one-time link that adds a passkey to this account: the way back in "
               "when its passkeys are lost"));
        m_invite =
            addOperatorAction(tr("Invite a new user…"),
                              tr("Create an account with a one-time link for its first passkey"));
        connect(m_issueLink, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->issueEnrollmentLink(m_model->userAt(row).user);
        });
        connect(m_invite, &QAction::triggered, this, [this] { m_actions->inviteUser(); });
        connect(m_disable, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->setUserDisabled(m_model->userAt(row).user, true);
        });
        connect(m_enable, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->setUserDisabled(m_model->userAt(row).user, false);
        });
        connect(m_revokeSessions, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0) {
                const UserRecord &user = m_model->userAt(row).user;
                m_actions->revokeAllSessions(user.id, user.username);
            }
        });
    }
}

void UsersPage::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void UsersPage::reload()
{
    m_typing->stop();
    UserQuery query;
    query.search = m_search->text().trimmed();
    query.includeDisabled = m_includeDisabled->isChecked();
    query.limit = 1000;
    const quint64 number = beginQuery();
    m_client.call(
        this, [query](Database &db) { return UserRepository(db).list(query); },
        [this, number](const StoreResult<QList<UserSummary>> &users) {
            if (!isNewest(number))
                return;
            if (!users)
                return reportFailure(describeStoreError(users.error()));
            m_model->setRecords(*users);
            reportLoaded(int(users->size()));
            // A reset model has no selection: the links shown follow that.
            const int row = selectedRow();
            m_enrollments->setUser(row >= 0 ? m_model->userAt(row).user.id : QUuid());
        });
}

void UsersPage::updateActions()
{
    if (!m_actions)
        return;
    const int row = selectedRow();
    const bool selected = row >= 0;
    const bool disabled = selected && m_model->userAt(row).user.disabled();
    m_disable->setEnabled(selected && !disabled);
    m_enable->setEnabled(selected && disabled);
    m_revokeSessions->setEnabled(selected && m_model->userAt(row).liveSessionCount > 0);
    m_issueLink->setEnabled(selected && !disabled);
    m_invite->setEnabled(true);
}

} // namespace daarion::console
