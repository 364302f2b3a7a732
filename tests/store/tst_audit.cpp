// The audit trail: rows written inside the caller's transaction vanish with
// it, the table refuses UPDATE/DELETE/TRUNCATE, inserts NOTIFY the console,
// filters narrow the query, and the hourly chart counts sign-ins/failures.

#include "shared/store/audit_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/transaction.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/test_database.h"

#include <QSignalSpy>
#include <QSqlDriver>

using namespace daarion::store;
using namespace daarion::testing;

class AuditTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Database &db() { return m_test->database(); }

    AuditEvent event(AuditEventType type, bool success = true)
    {
        AuditEvent e;
        e.type = type;
        e.success = success;
        e.actor = QStringLiteral("service:test");
        return e;
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
    }
    void cleanupTestCase() { m_test.reset(); }

    void roundTrip()
    {
        AuditEvent written = event(AuditEventType::LoginFailure, false);
        written.errorCode = QStringLiteral("signature_invalid");
        written.userId = QUuid::createUuid();
        written.username = QStringLiteral("alice");
        written.passkeyId = QUuid::createUuid();
        written.credentialId = QStringLiteral("Y3JlZA");
        written.sessionId = QUuid::createUuid();
        written.clientIp = QStringLiteral("2001:db8::1");
        written.userAgent = QString(600, QLatin1Char('u')); // cut, not refused
        written.details = {{QStringLiteral("reason"), QStringLiteral("it's \"quoted\"")},
                           {QStringLiteral("n"), 3}};
        auto id = AuditRepository(db()).append(written);
        QVERIFY_STORE(id);
        auto read = AuditRepository(db()).findById(*id);
        QVERIFY_STORE(read);
        QVERIFY(read->occurredAt.isValid());
        const AuditEvent &e = read->event;
        QCOMPARE(e.type, written.type);
        QCOMPARE(read->eventName, QStringLiteral("login_failure"));
        QVERIFY(!e.success);
        QCOMPARE(e.errorCode, written.errorCode);
        QCOMPARE(e.userId, written.userId);
        QCOMPARE(e.username, written.username);
        QCOMPARE(e.passkeyId, written.passkeyId);
        QCOMPARE(e.credentialId, written.credentialId);
        QCOMPARE(e.sessionId, written.sessionId);
        QCOMPARE(e.clientIp, written.clientIp);
        QCOMPARE(e.userAgent.size(), 512);
        QCOMPARE(e.details.value(QStringLiteral("reason")).toString(), QStringLiteral("it's \"quoted\""));
        QCOMPARE(e.details.value(QStringLiteral("n")).toInt(), 3);
        QCOMPARE(e.actor, QStringLiteral("service:test"));
        QCOMPARE_KIND(AuditRepository(db()).findById(*id + 1000), StoreErrorKind::NotFound);
    }

    void appendOnly()
    {
        auto id = AuditRepository(db()).append(event(AuditEventType::Logout));
        QVERIFY_STORE(id);
        for (const QString &sql : {QStringLiteral("UPDATE auth_events SET event = 'x' WHERE id = %1").arg(*id),
                                   QStringLiteral("DELETE FROM auth_events WHERE id = %1").arg(*id),
                                   QStringLiteral("TRUNCATE auth_events")}) {
            const QString error = m_test->exec(sql);
            QVERIFY2(error.contains(QStringLiteral("append-only")), qPrintable(sql + QStringLiteral(": ") + error));
        }
        QVERIFY_STORE(AuditRepository(db()).findById(*id));
    }

    void failedOperationLeavesNoAuditRowAndNoChange()
    {
        auto kim = signUp(db(), QStringLiteral("kim"));
        QVERIFY_STORE(kim);
        const qint64 before = countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events"));
        {
            Transaction outer(db());
            QVERIFY_STORE(outer.begin());
            // The rename joins the outer transaction and writes its audit row there…
            QVERIFY_STORE(PasskeyRepository(db()).rename(kim->passkey.id, kim->user.id, QStringLiteral("Renamed"), {}));
            QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")), before + 1);
            // …then a later step fails, and the whole transaction is abandoned.
            QCOMPARE_KIND(AuditRepository(db()).append(event(AuditEventType::Count)), StoreErrorKind::Failed);
        }
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")), before);
        auto passkey = PasskeyRepository(db()).findById(kim->passkey.id);
        QVERIFY_STORE(passkey);
        QCOMPARE(passkey->deviceName, QStringLiteral("Test key"));
    }

    void insertNotifiesListeners()
    {
        // The console's way: a connection subscribed to 'auth_events'.
        Database listener(m_test->parameters());
        QVERIFY_STORE(listener.open());
        QSqlDriver *driver = listener.connection().driver();
        QVERIFY(driver->subscribeToNotification(QStringLiteral("auth_events")));
        QSignalSpy spy(driver, &QSqlDriver::notification);
        auto id = AuditRepository(db()).append(event(AuditEventType::LoginSuccess));
        QVERIFY_STORE(id);
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 1, 5000);
        bool seen = false;
        for (const QList<QVariant> &arguments : spy) {
            if (arguments.at(0).toString() == QStringLiteral("auth_events") &&
                arguments.at(2).toString() == QString::number(*id))
                seen = true;
        }
        QVERIFY(seen);
    }

    void filters()
    {
        QVERIFY(m_test->exec(QStringLiteral("ALTER TABLE auth_events DISABLE TRIGGER auth_events_no_truncate")).isEmpty());
        QVERIFY(m_test->exec(QStringLiteral("TRUNCATE auth_events")).isEmpty());
        QVERIFY(m_test->exec(QStringLiteral("ALTER TABLE auth_events ENABLE TRIGGER auth_events_no_truncate")).isEmpty());
        AuditRepository audit(db());
        const QUuid user = QUuid::createUuid();
        for (int i = 0; i < 5; ++i) {
            AuditEvent e = event(AuditEventType::LoginSuccess);
            e.userId = user;
            e.username = QStringLiteral("lena");
            QVERIFY_STORE(audit.append(e));
        }
        for (int i = 0; i < 3; ++i) {
            AuditEvent e = event(AuditEventType::LoginFailure, false);
            e.errorCode = QStringLiteral("signature_invalid");
            QVERIFY_STORE(audit.append(e));
        }
        QVERIFY_STORE(audit.append(event(AuditEventType::Logout)));
        // Two events from two hours ago, placed there by the database owner.
        QVERIFY(m_test->exec(QStringLiteral(
                    "ALTER TABLE auth_events DISABLE TRIGGER auth_events_append_only;"
                    "INSERT INTO auth_events (occurred_at, event, outcome) VALUES"
                    " (now() - interval '2 hours', 'login_success', 'success'),"
                    " (now() - interval '2 hours', 'login_failure', 'failure');"
                    "ALTER TABLE auth_events ENABLE TRIGGER auth_events_append_only"))
                    .isEmpty());

        AuditFilter all;
        QCOMPARE(*audit.count(all), 11);
        AuditFilter byUser;
        byUser.userId = user;
        QCOMPARE(*audit.count(byUser), 5);
        AuditFilter byName;
        byName.username = QStringLiteral("lena");
        QCOMPARE(*audit.count(byName), 5);
        AuditFilter byEvents;
        byEvents.events = {QStringLiteral("login_failure"), QStringLiteral("logout")};
        QCOMPARE(*audit.count(byEvents), 5);
        AuditFilter failures;
        failures.success = false;
        QCOMPARE(*audit.count(failures), 4);
        AuditFilter recent;
        recent.from = QDateTime::currentDateTimeUtc().addSecs(-3600);
        QCOMPARE(*audit.count(recent), 9);
        AuditFilter old;
        old.to = QDateTime::currentDateTimeUtc().addSecs(-3600);
        QCOMPARE(*audit.count(old), 2);

        AuditFilter page;
        page.limit = 4;
        auto first = audit.query(page);
        QVERIFY_STORE(first);
        QCOMPARE(first->size(), 4);
        QVERIFY(first->at(0).id > first->at(1).id); // newest first
        page.offset = 8;
        auto last = audit.query(page);
        QVERIFY_STORE(last);
        QCOMPARE(last->size(), 3);
        AuditFilter feed;
        feed.afterId = first->at(1).id;
        QCOMPARE(*audit.count(feed), 1);

        auto names = audit.eventNames();
        QVERIFY_STORE(names);
        QCOMPARE(*names, (QStringList{QStringLiteral("login_failure"), QStringLiteral("login_success"),
                                      QStringLiteral("logout")}));

        auto hours = audit.hourlyCounts(24);
        QVERIFY_STORE(hours);
        QCOMPARE(hours->size(), 24);
        QVERIFY(hours->first().hour < hours->last().hour);
        int signIns = 0, failed = 0;
        for (const HourlyCount &hour : *hours) {
            signIns += hour.signIns;
            failed += hour.failures;
        }
        QCOMPARE(signIns, 6);
        QCOMPARE(failed, 4);
        // The recent ones sit in the current hour (or the one before, had an hour just turned).
        QCOMPARE(hours->at(22).signIns + hours->at(23).signIns, 5);
        QCOMPARE(hours->at(22).failures + hours->at(23).failures, 3);
    }
};

QTEST_GUILESS_MAIN(AuditTest)
#include "tst_audit.moc"
