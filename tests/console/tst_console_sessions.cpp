// The sessions view against a seeded PostgreSQL: owner, times, address,
// user agent and the state the database computes; search and state filter.

#include "console/sessions/session_list_model.h"
#include "console/sessions/sessions_page.h"
#include "tests/console/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;

class ConsoleSessionsTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;

    static QStringList addresses(const SessionListModel &model)
    {
        QStringList ips;
        for (int row = 0; row < model.rowCount(); ++row)
            ips.append(model.sessionAt(row).session.clientIp);
        ips.sort();
        return ips;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void showsEverySessionWithItsState()
    {
        SessionsPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const SessionListModel &model = *page.model();
        QCOMPARE(model.rowCount(), 7); // six issued, one of them rotated into a seventh
        auto state = [&](const QUuid &id) {
            const int row = model.rowOfSession(id);
            return row < 0 ? QString() : model.index(row, SessionListModel::State).data().toString();
        };
        QCOMPARE(state(m_console.seed.aliceFirefox.id), QStringLiteral("live"));
        QCOMPARE(state(m_console.seed.bobRevoked.id), QStringLiteral("revoked (logout)"));
        QCOMPARE(state(m_console.seed.daveExpired.id), QStringLiteral("expired"));
        QCOMPARE(state(m_console.seed.daveRotated.id), QStringLiteral("rotated"));
        QCOMPARE(state(m_console.seed.daveCurrent.id), QStringLiteral("live"));

        const int firefox = model.rowOfSession(m_console.seed.aliceFirefox.id);
        auto cell = [&](SessionListModel::Column column) { return model.index(firefox, column).data().toString(); };
        QCOMPARE(cell(SessionListModel::Owner), QStringLiteral("alice"));
        QCOMPARE(cell(SessionListModel::ClientIp), QStringLiteral("10.0.0.1"));
        QCOMPARE(cell(SessionListModel::UserAgent), QStringLiteral("Mozilla/5.0 Firefox/133.0"));
        QVERIFY(!cell(SessionListModel::Created).isEmpty());
        QVERIFY(!cell(SessionListModel::LastActivity).isEmpty());
        QVERIFY(cell(SessionListModel::Expires) > cell(SessionListModel::Created));
    }

    void searchAndStateFilterNarrow()
    {
        SessionsPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("bob")); }));
        QCOMPARE(addresses(*page.model()), (strings({"192.168.1.20", "192.168.1.21"})));
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("Firefox")); }));
        QCOMPARE(addresses(*page.model()), strings({"10.0.0.1"}));
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("172.16.")); }));
        QCOMPARE(page.model()->rowCount(), 3);

        QVERIFY(waitForLoad(page, [&] { page.setStateFilter(QStringLiteral("expired")); }));
        QCOMPARE(addresses(*page.model()), strings({"172.16.0.5"}));
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QString()); }));
        QVERIFY(waitForLoad(page, [&] { page.setStateFilter(QStringLiteral("revoked")); }));
        QCOMPARE(addresses(*page.model()), strings({"192.168.1.21"}));
        QVERIFY(waitForLoad(page, [&] { page.setStateFilter(QStringLiteral("live")); }));
        QCOMPARE(page.model()->rowCount(), 4);
        for (int row = 0; row < page.model()->rowCount(); ++row)
            QCOMPARE(page.model()->sessionAt(row).session.state, daarion::store::SessionState::Live);
    }
};

QTEST_MAIN(ConsoleSessionsTest)
#include "tst_console_sessions.moc"
