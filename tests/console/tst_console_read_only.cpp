// --read-only: the main window offers no action anywhere, while the same
// window for an operator does (so the check can fail).

#include "console/common/list_page.h"
#include "console/main_window.h"
#include "console/actions/operator_actions.h"
#include "console/users/users_page.h"

#include <QTableView>
#include "tests/console/console_fixture.h"

#include <QAction>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;

class ConsoleReadOnlyTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;
    ScriptedPrompts m_prompts;

    static QList<QAction *> operatorActionsIn(const QWidget &window)
    {
        QList<QAction *> found;
        for (QAction *action : window.findChildren<QAction *>()) {
            if (action->property(ListPage::OperatorActionProperty).toBool())
                found.append(action);
        }
        return found;
    }

    static int pageActions(const MainWindow &window)
    {
        int count = 0;
        for (ListPage *page : window.pages())
            count += int(page->operatorActions().size());
        return count;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void operatorWindowOffersEveryAction()
    {
        MainWindow window(m_console.client(), OperatorIdentity{QStringLiteral("tester"), false},
                          &m_prompts);
        QVERIFY(window.operatorActions() != nullptr);
        // users 5, passkeys 3, sessions 2, memberships & keys 3; and the
        // Revoke of the pending enrollment links below the users
        QCOMPARE(pageActions(window), 13);
        QCOMPARE(operatorActionsIn(window).size(), 14);
    }

    void readOnlyWindowOffersNone()
    {
        MainWindow window(m_console.client(), OperatorIdentity{QStringLiteral("viewer"), true},
                          &m_prompts);
        QVERIFY(window.operatorActions() == nullptr);
        QCOMPARE(pageActions(window), 0);
        QCOMPARE(operatorActionsIn(window).size(), 0);
        QVERIFY(window.windowTitle().contains(QStringLiteral("read-only")));
        QVERIFY(window.showView(QStringLiteral("audit")));
        QVERIFY(!window.showView(QStringLiteral("settings")));
        QVERIFY(window.showView(QStringLiteral("users")));

        // Browsing still works: rows load, the user page can be searched.
        window.show();
        QVERIFY(waitForLoad(*window.usersPage(), [&] { window.reloadAll(); }));
        QCOMPARE(window.usersPage()->table()->model()->rowCount(), 4);
        // Double-clicking does nothing that changes data either.
        QVERIFY(m_prompts.questions.isEmpty());
    }
};

QTEST_MAIN(ConsoleReadOnlyTest)
#include "tst_console_read_only.moc"
