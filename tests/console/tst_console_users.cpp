// The users view against a seeded PostgreSQL: every account with its counts
// and state, search as you type narrowing the list.

#include "console/users/user_list_model.h"
#include "console/users/users_page.h"
#include "tests/console/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;

class ConsoleUsersTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;

    QStringList usernames(const UserListModel &model)
    {
        QStringList names;
        for (int row = 0; row < model.rowCount(); ++row)
            names.append(model.userAt(row).user.username);
        names.sort();
        return names;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void showsEverySeededUserWithCountsAndState()
    {
        UsersPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        UserListModel &model = *page.model();
        QCOMPARE(usernames(model), (strings({"alice", "bob", "carol", "dave"})));

        const int alice = model.rowOfUser(m_console.seed.alice.id);
        QVERIFY(alice >= 0);
        QCOMPARE(model.userAt(alice).passkeyCount, 2);
        QCOMPARE(model.userAt(alice).liveSessionCount, 2);
        QCOMPARE(model.index(alice, UserListModel::DisplayName).data().toString(), QStringLiteral("Alice Liddell"));
        QCOMPARE(model.index(alice, UserListModel::Passkeys).data().toInt(), 2);
        QCOMPARE(model.index(alice, UserListModel::State).data().toString(), QStringLiteral("enabled"));
        QCOMPARE(model.index(alice, UserListModel::LastSignIn).data().toString(), QStringLiteral("never"));

        const int bob = model.rowOfUser(m_console.seed.bob.id);
        QCOMPARE(model.userAt(bob).liveSessionCount, 1); // the revoked one does not count

        const int dave = model.rowOfUser(m_console.seed.dave.id);
        QCOMPARE(model.userAt(dave).liveSessionCount, 1); // expired and rotated do not count

        const int carol = model.rowOfUser(m_console.seed.carol.id);
        QVERIFY(model.userAt(carol).user.disabled());
        QVERIFY(model.index(carol, UserListModel::State).data().toString().startsWith(QStringLiteral("disabled")));
        QVERIFY(page.statusText().contains(QStringLiteral("4")));
    }

    void searchAsYouTypeNarrows()
    {
        UsersPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QCOMPARE(page.model()->rowCount(), 4);

        // Typing, not pressing Enter: the page asks by itself after a pause.
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("ali")); }));
        QCOMPARE(usernames(*page.model()), strings({"alice"}));

        // Display names too, case-insensitively.
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("BUILDER")); }));
        QCOMPARE(usernames(*page.model()), strings({"bob"}));

        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("nobody-here")); }));
        QCOMPARE(page.model()->rowCount(), 0);

        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QString()); }));
        QCOMPARE(page.model()->rowCount(), 4);
    }

    void quickTypingShowsOnlyTheLastAnswer()
    {
        UsersPage page(m_console.client(), nullptr);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        // Three queries in flight; only the newest may land.
        QSignalSpy loaded(&page, &ListPage::loaded);
        page.setSearchText(QStringLiteral("a"));
        page.reload();
        page.setSearchText(QStringLiteral("d"));
        page.reload();
        page.setSearchText(QStringLiteral("dav"));
        page.reload();
        QVERIFY(loaded.wait(5000));
        QTest::qWait(300); // nothing else arrives
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(usernames(*page.model()), strings({"dave"}));
    }
};

QTEST_MAIN(ConsoleUsersTest)
#include "tst_console_users.moc"
