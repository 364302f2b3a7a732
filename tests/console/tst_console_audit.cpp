// The audit trail view: seeded events, filters by event type, user and time
// range, live rows through LISTEN/NOTIFY within a second, CSV export, and
// the 24-hour chart.

#include "console/audit/activity_chart.h"
#include "console/audit/activity_panel.h"
#include "console/audit/audit_csv.h"
#include "console/audit/audit_list_model.h"
#include "console/audit/audit_page.h"
#include "console/backend/audit_listener.h"
#include "tests/console/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;
using namespace daarion::store;

class ConsoleAuditTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;

    qint64 countWhere(const AuditFilter &filter)
    {
        auto counted = AuditRepository(m_console.db()).count(filter);
        return counted ? *counted : -1;
    }

    static QStringList eventsOf(const AuditListModel &model)
    {
        QStringList names;
        for (int row = 0; row < model.rowCount(); ++row)
            names.append(model.eventAt(row).eventName);
        return names;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void showsTheSeededTrailNewestFirst()
    {
        AuditPage page(m_console.client());
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const AuditListModel &model = *page.model();
        QVERIFY(model.rowCount() > 15);
        QCOMPARE(qint64(model.rowCount()), countWhere(AuditFilter{}));
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.eventAt(row - 1).id > model.eventAt(row).id);
        // The newest is dave's failed sign-in, every column filled as written.
        auto cell = [&](AuditListModel::Column column) { return model.index(0, column).data().toString(); };
        QCOMPARE(cell(AuditListModel::Event), QStringLiteral("login_failure"));
        QCOMPARE(cell(AuditListModel::Outcome), QStringLiteral("failure"));
        QCOMPARE(cell(AuditListModel::ErrorCode), QStringLiteral("signature_invalid"));
        QCOMPARE(cell(AuditListModel::User), QStringLiteral("dave"));
        QCOMPARE(cell(AuditListModel::ClientIp), QStringLiteral("10.0.0.1"));
        QCOMPARE(model.index(0, AuditListModel::Credential).data(Qt::ToolTipRole).toString(),
                 m_console.seed.daveTitan.credentialId);
        QVERIFY(!cell(AuditListModel::Time).isEmpty());
        QVERIFY(eventsOf(model).contains(QStringLiteral("counter_regression")));
        QVERIFY(eventsOf(model).contains(QStringLiteral("user_disabled")));
    }

    void filtersNarrow()
    {
        AuditPage page(m_console.client());
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const int all = page.model()->rowCount();

        QVERIFY(waitForLoad(page, [&] { page.setEventFilter(QStringLiteral("login_failure")); }));
        QCOMPARE(eventsOf(*page.model()), (strings({"login_failure", "login_failure"})));

        QVERIFY(waitForLoad(page, [&] { page.setEventFilter(QStringLiteral("login_success")); }));
        QCOMPARE(page.model()->rowCount(), m_console.seed.signIns);
        QVERIFY(waitForLoad(page, [&] { page.setUserFilter(QStringLiteral("alice")); }));
        QCOMPARE(page.model()->rowCount(), 2);
        for (int row = 0; row < page.model()->rowCount(); ++row)
            QCOMPARE(page.model()->eventAt(row).event.username, QStringLiteral("alice"));

        QVERIFY(waitForLoad(page, [&] { page.setEventFilter(QString()); }));
        const int ofAlice = page.model()->rowCount();
        QVERIFY(ofAlice > 2 && ofAlice < all);

        QVERIFY(waitForLoad(page, [&] { page.setUserFilter(QString()); }));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(waitForLoad(page, [&] { page.setTimeRange(now.addSecs(3600), QDateTime()); }));
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(waitForLoad(page, [&] { page.setTimeRange(now.addSecs(-3600), now.addSecs(3600)); }));
        QCOMPARE(page.model()->rowCount(), all);
        QVERIFY(waitForLoad(page, [&] { page.setTimeRange(QDateTime(), now.addSecs(-3600)); }));
        QCOMPARE(page.model()->rowCount(), 0);
    }

    void eventFromAnotherConnectionAppearsWithinASecond()
    {
        AuditPage page(m_console.client());
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // No periodic resync during the test: only NOTIFY can bring the row.
        AuditListener listener(m_console.test().parameters(), std::chrono::minutes(10));
        QSignalSpy listening(&listener, &AuditListener::listening);
        connect(&listener, &AuditListener::eventInserted, &page, &AuditPage::fetchNewer);
        QVERIFY(waitForLoad(page, [&] { page.setEventFilter(QStringLiteral("login_failure")); }));
        QVERIFY(listening.count() > 0 || listening.wait(5000));
        QCOMPARE(listening.last().at(0).toBool(), true);
        QSignalSpy arrived(&page, &AuditPage::eventsArrived);
        const int before = page.model()->rowCount();

        // Another connection, not the console's: a Database of this thread's own.
        Database other(m_console.test().parameters());
        AuditRepository otherAudit(other);
        AuditEvent success;
        success.type = AuditEventType::LoginSuccess;
        success.username = QStringLiteral("alice");
        QVERIFY(otherAudit.append(success).ok()); // filtered out: must not appear

        AuditEvent failure;
        failure.type = AuditEventType::LoginFailure;
        failure.success = false;
        failure.errorCode = QStringLiteral("unknown_credential");
        failure.username = QStringLiteral("mallory");
        failure.clientIp = QStringLiteral("203.0.113.9");
        QElapsedTimer clock;
        clock.start();
        auto id = otherAudit.append(failure);
        QVERIFY(id.ok());
        QTRY_VERIFY_WITH_TIMEOUT(page.model()->rowCount() > 0 && page.model()->eventAt(0).id == *id, 1000);
        qInfo("NOTIFY to row shown: %lld ms", clock.elapsed());
        QCOMPARE(page.model()->rowCount(), before + 1);
        QCOMPARE(page.model()->eventAt(0).event.username, QStringLiteral("mallory"));
        QTest::qWait(200);
        QCOMPARE(page.model()->rowCount(), before + 1); // the success never shows under this filter
        QVERIFY(arrived.count() >= 1);
    }

    void exportsTheFilteredTrailAsCsv()
    {
        AuditPage page(m_console.client());
        QVERIFY(waitForLoad(page, [&] { page.setEventFilter(QStringLiteral("login_success")); }));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("audit.csv"));
        QSignalSpy exported(&page, &AuditPage::exported);
        page.exportCsv(path);
        QVERIFY(exported.wait(5000));
        QCOMPARE(exported.first().at(1).toBool(), true);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        // Header, one line per event, and the empty rest after the last CRLF.
        AuditFilter successes;
        successes.events = {QStringLiteral("login_success")};
        QCOMPARE(qint64(lines.size()), countWhere(successes) + 2);
        QVERIFY(lines.first().startsWith("id,occurred_at,event,outcome,error_code,user_id,username"));
        QVERIFY(lines.at(1).contains(",login_success,success,"));
        QVERIFY(lines.last().isEmpty());
    }

    void csvQuotesAndDefusesFormulas()
    {
        QCOMPARE(csvField(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
        QCOMPARE(csvField(QStringLiteral("=HYPERLINK(\"x\")")), QStringLiteral("\"'=HYPERLINK(\"\"x\"\")\""));
        QCOMPARE(csvField(QStringLiteral("@SUM(A1)")), QStringLiteral("'@SUM(A1)"));
        QCOMPARE(csvField(QString()), QString());
    }

    void chartCountsTheLast24Hours()
    {
        ActivityPanel panel(m_console.client());
        QSignalSpy refreshed(&panel, &ActivityPanel::refreshed);
        panel.refresh();
        QVERIFY(refreshed.wait(5000));
        ActivityChart &chart = *panel.chart();
        QCOMPARE(chart.counts().size(), 24);
        // Everything was written in the last minutes (the seed and the live test).
        AuditFilter successes, failures;
        successes.events = {QStringLiteral("login_success")};
        failures.events = {QStringLiteral("login_failure")};
        QVERIFY(m_console.seed.signIns > 0 && m_console.seed.failures > 0);
        QCOMPARE(qint64(chart.totalSignIns()), countWhere(successes));
        QCOMPARE(qint64(chart.totalFailures()), countWhere(failures));
        const int lastTwo = chart.counts().at(22).signIns + chart.counts().at(23).signIns;
        QCOMPARE(qint64(lastTwo), countWhere(successes));

        // It draws both series: green and red pixels appear.
        chart.resize(480, 130);
        const QImage image = chart.grab().toImage();
        bool green = false, red = false;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor color = image.pixelColor(x, y);
                green = green || color == QColor(0x2e, 0x7d, 0x32);
                red = red || color == QColor(0xc6, 0x28, 0x28);
            }
        }
        QVERIFY(green);
        QVERIFY(red);
    }
};

QTEST_MAIN(ConsoleAuditTest)
#include "tst_console_audit.moc"
