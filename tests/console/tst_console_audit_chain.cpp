// The audit view's chain line, offscreen on a real database: nothing chained
// yet, intact up to the last checkpoint with its time, and after someone
// edits a row around the triggers, what broke.

#include "console/audit/audit_page.h"
#include "console/audit/chain_status.h"
#include "tests/console/console_fixture.h"
#include "tests/support/manual_clock.h"

#include "shared/audit/signing_key.h"
#include "shared/store/audit_checkpoint_repository.h"

#include <QLabel>
#include <QPushButton>
#include <QSqlQuery>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;
using namespace daarion::store;

class ConsoleAuditChainTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Seed m_seed;
    std::unique_ptr<StoreClient> m_client;

    // Waits for the answer of a check the trigger starts; the line's text.
    static QString checked(ChainStatus &status, const std::function<void()> &trigger)
    {
        QSignalSpy spy(&status, &ChainStatus::checked);
        trigger();
        if (!spy.wait(10'000))
            return QStringLiteral("<no answer>");
        return spy.last().at(1).toString();
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        m_seed = seedWorld(*m_test);
        m_client = std::make_unique<StoreClient>(m_test->parameters());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_test.reset();
    }

    void beforeAnyCheckpoint()
    {
        AuditPage page(*m_client);
        ChainStatus &status = *page.chainStatus();
        const QString text = checked(status, [&] { status.check(); });
        QCOMPARE(status.state(), ChainStatus::State::Intact);
        QVERIFY2(text.startsWith(QStringLiteral("Audit chain: intact; no checkpoint yet")),
                 qPrintable(text));
        QVERIFY(status.findChild<QLabel *>()->toolTip().contains(
            QStringLiteral("waiting for a checkpoint")));
    }

    void intactUpToTheLastCheckpoint()
    {
        const daarion::audit::AuditSigningKey key = daarion::audit::AuditSigningKey::generate();
        CheckpointPolicy policy;
        policy.signingKey = &key;
        ManualClock clock(QDateTime(QDate(2026, 12, 4), QTime(9, 30), Qt::UTC));
        ConnectionParameters parameters = m_test->parameters();
        parameters.clock = &clock;
        Database database(parameters);
        // Another suite's transaction still open on the cluster holds the horizon back.
        QVERIFY(m_test->waitUntilNoWriters());
        auto run = AuditCheckpointRepository(database).makeCheckpoints(policy);
        QVERIFY(run.ok());
        QCOMPARE(run->made.size(), 1);

        AuditPage page(*m_client);
        ChainStatus &status = *page.chainStatus();
        // The page checks by itself when it opens…
        QSignalSpy opened(&status, &ChainStatus::checked);
        QVERIFY(opened.wait(10'000));
        QVERIFY2(opened.first().at(1).toString().contains(QStringLiteral("checkpoint 1")),
                 qPrintable(opened.first().at(1).toString()));
        // …and the button checks again.
        QPushButton *button = status.findChild<QPushButton *>();
        QVERIFY(button && button->isEnabled());
        const QString text = checked(status, [&] { QTest::mouseClick(button, Qt::LeftButton); });
        QCOMPARE(status.state(), ChainStatus::State::Intact);
        QCOMPARE(text, QStringLiteral(
                           "Audit chain: intact up to checkpoint 1 at 2026-12-04T09:30:00.000Z"));
        QCOMPARE(status.text(), text);
        QVERIFY(status.findChild<QLabel *>()->toolTip().contains(key.publicKey().fingerprint()));
    }

    void whatBroke()
    {
        // The newest row: dave's failed sign-in.
        auto newest = m_test->database().run(QStringLiteral("SELECT max(id) FROM auth_events"));
        QVERIFY(newest.ok() && (*newest)->next());
        const qint64 dave = (*newest)->value(0).toLongLong();
        QCOMPARE(
            m_test->exec(QStringLiteral("ALTER TABLE auth_events DISABLE TRIGGER USER;"
                                        "UPDATE auth_events SET outcome = 'success' WHERE id = %1;"
                                        "ALTER TABLE auth_events ENABLE TRIGGER USER")
                             .arg(dave)),
            QString());
        AuditPage page(*m_client);
        ChainStatus &status = *page.chainStatus();
        const QString text = checked(status, [&] { status.check(); });
        QCOMPARE(status.state(), ChainStatus::State::Broken);
        QCOMPARE(text, QStringLiteral(
                           "Audit chain: broken: row %1 was edited after checkpoint 1 sealed it")
                           .arg(dave));
        QVERIFY(status.findChild<QLabel *>()->toolTip().contains(
            QStringLiteral("row %1 was edited").arg(dave)));
    }
};

QTEST_MAIN(ConsoleAuditChainTest)
#include "tst_console_audit_chain.moc"
