// Memberships and API keys of everyone, of a user, of a microDAO.

#include "console/access/access_page.h"
#include "console/access/api_key_list_model.h"
#include "console/access/membership_list_model.h"
#include "tests/console/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;

class ConsoleAccessTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;

    static QStringList memberships(const MembershipListModel &model)
    {
        QStringList rows;
        for (int row = 0; row < model.rowCount(); ++row) {
            const auto &membership = model.membershipAt(row);
            rows.append(membership.username + QLatin1Char('@') + membership.microdaoId + QLatin1Char('=') + membership.role);
        }
        rows.sort();
        return rows;
    }

    static QStringList keys(const ApiKeyListModel &model)
    {
        QStringList rows;
        for (int row = 0; row < model.rowCount(); ++row)
            rows.append(model.keyAt(row).actorId());
        rows.sort();
        return rows;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void everyoneShowsAll()
    {
        AccessPage page(m_console.client(), nullptr);
        QAbstractItemModelTester members(page.memberships(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester apiKeys(page.apiKeys(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QCOMPARE(memberships(*page.memberships()),
                 (strings({"alice@microdao:7=owner", "bob@microdao:7=member", "bob@microdao:9=admin"})));
        QCOMPARE(keys(*page.apiKeys()), (strings({"agent:7/helper", "service:billing"})));
        const int helper = page.apiKeys()->rowOfKey(m_console.seed.helperKey.id);
        auto cell = [&](int row, ApiKeyListModel::Column column) {
            return page.apiKeys()->index(row, column).data().toString();
        };
        QCOMPARE(cell(helper, ApiKeyListModel::CreatedBy), QStringLiteral("alice"));
        QCOMPARE(cell(helper, ApiKeyListModel::Microdao), QStringLiteral("microdao:7"));
        QCOMPARE(cell(helper, ApiKeyListModel::State), QStringLiteral("live"));
        QVERIFY(cell(helper, ApiKeyListModel::Prefix).startsWith(QStringLiteral("dk_helper01")));
        const int billing = page.apiKeys()->rowOfKey(m_console.seed.billingKey.id);
        QCOMPARE(cell(billing, ApiKeyListModel::CreatedBy), QStringLiteral("operator"));
        QCOMPARE(cell(billing, ApiKeyListModel::Expires), QStringLiteral("never"));
    }

    void ofOneUser()
    {
        AccessPage page(m_console.client(), nullptr);
        QAbstractItemModelTester members(page.memberships(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.setScope(AccessPage::Scope::User, QStringLiteral("bob")); }));
        QCOMPARE(memberships(*page.memberships()), (strings({"bob@microdao:7=member", "bob@microdao:9=admin"})));
        QCOMPARE(page.apiKeys()->rowCount(), 0);
        QVERIFY(waitForLoad(page, [&] { page.setScope(AccessPage::Scope::User, QStringLiteral("alice")); }));
        QCOMPARE(memberships(*page.memberships()), strings({"alice@microdao:7=owner"}));
        QCOMPARE(keys(*page.apiKeys()), strings({"agent:7/helper"})); // the key alice created
    }

    void ofOneMicrodao()
    {
        AccessPage page(m_console.client(), nullptr);
        QVERIFY(waitForLoad(page, [&] { page.setScope(AccessPage::Scope::Microdao, QStringLiteral("microdao:7")); }));
        QCOMPARE(memberships(*page.memberships()), (strings({"alice@microdao:7=owner", "bob@microdao:7=member"})));
        QCOMPARE(keys(*page.apiKeys()), strings({"agent:7/helper"}));
        QVERIFY(waitForLoad(page, [&] { page.setScope(AccessPage::Scope::Microdao, QStringLiteral("microdao:9")); }));
        QCOMPARE(memberships(*page.memberships()), strings({"bob@microdao:9=admin"}));
        QCOMPARE(page.apiKeys()->rowCount(), 0);
    }

    void unknownUserSaysSo()
    {
        AccessPage page(m_console.client(), nullptr);
        QSignalSpy failed(&page, &ListPage::loadFailed);
        page.setScope(AccessPage::Scope::User, QStringLiteral("nobody"));
        QVERIFY(failed.wait(5000));
        QVERIFY(page.statusText().contains(QStringLiteral("nobody")));
        QCOMPARE(page.memberships()->rowCount(), 0);
    }
};

QTEST_MAIN(ConsoleAccessTest)
#include "tst_console_access.moc"
