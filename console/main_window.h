#pragma once
// The console's window: the activity chart on top, one tab per view, a
// status bar saying who operates, against which database, and whether the
// live audit feed is listening. Pages get the operator actions only when the
// console is not read-only.

#include "console/common/operator_identity.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QTabWidget;

namespace daarion::console {

class AccessPage;
class ActivityPanel;
class AuthenticatorsPage;
class AuditListener;
class AuditPage;
class ListPage;
class OperatorActions;
class OperatorPrompts;
class PasskeysPage;
class SessionsPage;
class StoreClient;
class UsersPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // prompts: null for the dialog-based ones (tests pass their own).
    MainWindow(StoreClient &client, OperatorIdentity identity, OperatorPrompts *prompts = nullptr,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    UsersPage *usersPage() const { return m_users; }
    PasskeysPage *passkeysPage() const { return m_passkeys; }
    SessionsPage *sessionsPage() const { return m_sessions; }
    AccessPage *accessPage() const { return m_access; }
    AuditPage *auditPage() const { return m_audit; }
    AuthenticatorsPage *authenticatorsPage() const { return m_authenticators; }
    QString metadataWarningText() const; // the status bar's stale-metadata warning, or empty
    ActivityPanel *activityPanel() const { return m_activity; }
    QList<ListPage *> pages() const;
    OperatorActions *operatorActions() const { return m_actions; } // null when read-only

    // Live audit rows and chart updates from this listener.
    void followAuditEvents(AuditListener &listener);

    // Brings a view to the front: "users", "passkeys", "sessions", "access",
    // "audit" or "authenticators". False for another name.
    bool showView(const QString &name);
    static QStringList viewNames();

public slots:
    void reloadAll();

private:
    void showMessage(const QString &text);

    OperatorIdentity m_identity;
    std::unique_ptr<OperatorPrompts> m_ownPrompts;
    OperatorActions *m_actions = nullptr;
    QTabWidget *m_tabs;
    ActivityPanel *m_activity;
    UsersPage *m_users;
    PasskeysPage *m_passkeys;
    SessionsPage *m_sessions;
    AccessPage *m_access;
    AuditPage *m_audit;
    AuthenticatorsPage *m_authenticators;
    QLabel *m_feedState;
    QLabel *m_metadataWarning;
};

} // namespace daarion::console
