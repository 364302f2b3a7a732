#include "console/main_window.h"

#include "console/access/access_page.h"
#include "console/actions/operator_actions.h"
#include "console/audit/activity_panel.h"
#include "console/audit/audit_page.h"
#include "console/authenticators/authenticators_page.h"
#include "console/backend/audit_listener.h"
#include "console/backend/store_client.h"
#include "console/common/operator_prompts.h"
#include "console/passkeys/passkeys_page.h"
#include "console/sessions/sessions_page.h"
#include "console/users/user_list_model.h"
#include "console/users/users_page.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace daarion::console {

MainWindow::MainWindow(StoreClient &client, OperatorIdentity identity, OperatorPrompts *prompts,
                       QWidget *parent)
    : QMainWindow(parent), m_identity(std::move(identity)), m_tabs(new QTabWidget(this)),
      m_feedState(new QLabel(this)), m_metadataWarning(new QLabel(this))
{
    if (!prompts) {
        m_ownPrompts = std::make_unique<DialogPrompts>(this);
        prompts = m_ownPrompts.get();
    }
    if (!m_identity.readOnly)
        m_actions = new OperatorActions(client, m_identity, *prompts, this);

    setWindowTitle(tr("DAARION auth console — %1").arg(client.parameters().redacted()) +
                   (m_identity.readOnly ? tr(" (read-only)") : QString()));

    m_activity = new ActivityPanel(client, this);
    m_users = new UsersPage(client, m_actions, this);
    m_passkeys = new PasskeysPage(client, m_actions, this);
    m_sessions = new SessionsPage(client, m_actions, this);
    m_access = new AccessPage(client, m_actions, this);
    m_audit = new AuditPage(client, this);
    m_authenticators = new AuthenticatorsPage(client, this);
    m_tabs->addTab(m_users, tr("Users"));
    m_tabs->addTab(m_passkeys, tr("Passkeys"));
    m_tabs->addTab(m_sessions, tr("Sessions"));
    m_tabs->addTab(m_access, tr("Memberships && API keys"));
    m_tabs->addTab(m_audit, tr("Audit trail"));
    m_tabs->addTab(m_authenticators, tr("Authenticators"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_activity);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    // From a user to what they hold.
    connect(m_users->table(), &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        m_access->setScope(AccessPage::Scope::User, m_users->model()->userAt(index.row()).user.username);
        m_tabs->setCurrentWidget(m_access);
    });

    auto *file = menuBar()->addMenu(tr("&File"));
    auto *refresh = file->addAction(tr("&Refresh"), this, &MainWindow::reloadAll);
    refresh->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    auto *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto *who = new QLabel(tr("operator: %1").arg(m_identity.name) +
                               (m_identity.readOnly ? tr(" — read-only") : QString()),
                           this);
    // Stale FIDO metadata shows from every view.
    m_metadataWarning->setStyleSheet(QStringLiteral("QLabel { color: #9c0006; }"));
    m_metadataWarning->hide();
    statusBar()->addPermanentWidget(m_metadataWarning);
    connect(m_authenticators, &AuthenticatorsPage::metadataWarningChanged, this,
            [this](const QString &warning) {
                m_metadataWarning->setText(warning.isEmpty() ? QString()
                                                             : tr("FIDO metadata stale"));
                m_metadataWarning->setToolTip(warning);
                m_metadataWarning->setVisible(!warning.isEmpty());
            });
    statusBar()->addPermanentWidget(m_feedState);
    statusBar()->addPermanentWidget(who);
    m_feedState->setText(tr("live feed: off"));

    connect(&client, &StoreClient::unavailable, this,
            [this](const QString &message) { showMessage(tr("Database unavailable: %1").arg(message)); });
    if (m_actions) {
        connect(m_actions, &OperatorActions::succeeded, this, [this](const QString &summary) { showMessage(summary); });
        connect(m_actions, &OperatorActions::failed, this,
                [this](const QString &summary, const QString &reason) { showMessage(summary + QStringLiteral(": ") + reason); });
        connect(m_actions, &OperatorActions::dataChanged, this, &MainWindow::reloadAll);
    }
    resize(1280, 760);
}

MainWindow::~MainWindow() = default;

QList<ListPage *> MainWindow::pages() const
{
    return {m_users, m_passkeys, m_sessions, m_access, m_audit, m_authenticators};
}

QString MainWindow::metadataWarningText() const
{
    return m_metadataWarning->toolTip();
}

void MainWindow::followAuditEvents(AuditListener &listener)
{
    connect(&listener, &AuditListener::eventInserted, m_audit, &AuditPage::fetchNewer);
    connect(&listener, &AuditListener::resync, m_audit, &AuditPage::fetchNewer);
    connect(&listener, &AuditListener::eventInserted, m_activity, &ActivityPanel::refreshSoon);
    connect(&listener, &AuditListener::listening, this, [this](bool on) {
        m_feedState->setText(on ? tr("live feed: listening") : tr("live feed: reconnecting"));
    });
}

QStringList MainWindow::viewNames()
{
    return {QStringLiteral("users"),  QStringLiteral("passkeys"), QStringLiteral("sessions"),
            QStringLiteral("access"), QStringLiteral("audit"),    QStringLiteral("authenticators")};
}

bool MainWindow::showView(const QString &name)
{
    const int index = int(viewNames().indexOf(name));
    if (index < 0)
        return false;
    m_tabs->setCurrentWidget(pages().at(index));
    return true;
}

void MainWindow::reloadAll()
{
    for (ListPage *page : pages())
        page->reload();
    m_activity->refresh();
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, 15000);
}

} // namespace daarion::console
