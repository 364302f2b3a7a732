#include "console/sessions/sessions_page.h"

#include "console/actions/operator_actions.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"
#include "console/sessions/session_list_model.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace daarion::console {

using namespace daarion::store;

SessionsPage::SessionsPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_model(new SessionListModel(this)), m_actions(actions),
      m_search(new QLineEdit(this)), m_state(new QComboBox(this)), m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search owner, client IP or user agent"));
    m_search->setClearButtonEnabled(true);
    m_state->addItem(tr("Every state"), QString());
    for (SessionState state : {SessionState::Live, SessionState::Expired, SessionState::Revoked, SessionState::Rotated})
        m_state->addItem(sessionStateName(state), sessionStateName(state));
    filterRow()->addWidget(m_search, 1);
    filterRow()->addWidget(m_state);

    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &SessionsPage::reload);
    connect(m_state, &QComboBox::currentIndexChanged, this, &SessionsPage::reload);

    table()->setModel(m_model);
    watchSelection();

    if (m_actions) {
        m_revoke = addOperatorAction(tr("Revoke session"), tr("End this session now"));
        m_revokeAll = addOperatorAction(tr("Revoke all sessions of user"), tr("Sign the owner out everywhere"));
        connect(m_revoke, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->revokeSession(m_model->sessionAt(row));
        });
        connect(m_revokeAll, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0) {
                const SessionWithOwner &session = m_model->sessionAt(row);
                m_actions->revokeAllSessions(session.session.userId, session.username);
            }
        });
    }
}

void SessionsPage::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void SessionsPage::setStateFilter(const QString &stateName)
{
    const int index = m_state->findData(stateName);
    m_state->setCurrentIndex(index < 0 ? 0 : index);
}

void SessionsPage::reload()
{
    m_typing->stop();
    SessionQuery query;
    query.search = m_search->text().trimmed();
    const QString stateName = m_state->currentData().toString();
    for (SessionState state : {SessionState::Live, SessionState::Expired, SessionState::Revoked, SessionState::Rotated}) {
        if (sessionStateName(state) == stateName)
            query.state = state;
    }
    query.limit = 1000;
    const quint64 number = beginQuery();
    m_client.call(
        this, [query](Database &db) { return SessionRepository(db).list(query); },
        [this, number](const StoreResult<QList<SessionWithOwner>> &sessions) {
            if (!isNewest(number))
                return;
            if (!sessions)
                return reportFailure(describeStoreError(sessions.error()));
            m_model->setRecords(*sessions);
            reportLoaded(int(sessions->size()));
        });
}

void SessionsPage::updateActions()
{
    if (!m_actions)
        return;
    const int row = selectedRow();
    const bool live = row >= 0 && m_model->sessionAt(row).session.state == SessionState::Live;
    m_revoke->setEnabled(live);
    m_revokeAll->setEnabled(row >= 0);
}

} // namespace daarion::console
