// Sessions: lookup of live tokens only (with user and memberships), idle
// timeout, rotation keeping family and absolute expiry, reuse of a
// rotated-out token revoking the family, logout of one and all, revocation,
// listing with states, and the sweep.

#include "shared/store/audit_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/manual_clock.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

using namespace daarion::store;
using namespace daarion::testing;
using namespace std::chrono_literals;

class SessionsTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    ManualClock m_clock; // the store's time: tests move it forward, never sleep
    Database &db() { return m_test->database(); }

    // A fresh user with one live session; returns its token hash.
    QByteArray userWithSession(const QString &username, RegistrationOutcome *account = nullptr)
    {
        const QByteArray hash = randomBytes(32);
        auto outcome = signUp(db(), username, hash);
        if (!outcome) {
            qWarning("%s", qPrintable(outcome.error().message));
            return {};
        }
        if (account)
            *account = *outcome;
        return hash;
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        m_test->useClock(m_clock);
    }
    void cleanupTestCase() { m_test.reset(); }

    void authenticateReturnsUserAndMemberships()
    {
        RegistrationOutcome account;
        const QByteArray token = userWithSession(QStringLiteral("olga"), &account);
        QVERIFY(!token.isEmpty());
        const AuditContext op{.actor = actorForOperator(QStringLiteral("root"))};
        QVERIFY_STORE(MembershipRepository(db()).grant(account.user.id, QStringLiteral("microdao:7"),
                                                       QStringLiteral("owner"), op));
        QVERIFY_STORE(MembershipRepository(db()).grant(account.user.id, QStringLiteral("microdao:daarion"),
                                                       QStringLiteral("member"), op));
        auto live = SessionRepository(db()).authenticate(token, 30min);
        QVERIFY_STORE(live);
        QCOMPARE(live->user.username, QStringLiteral("olga"));
        QCOMPARE(live->session.state, SessionState::Live);
        QCOMPARE(live->memberships.size(), 2);
        QCOMPARE(live->memberships.at(0).microdaoId, QStringLiteral("microdao:7"));
        QCOMPARE(live->memberships.at(0).role, QStringLiteral("owner"));
        QCOMPARE(live->memberships.at(1).microdaoId, QStringLiteral("microdao:daarion"));
        QCOMPARE(live->memberships.at(1).role, QStringLiteral("member"));
        QVERIFY(live->memberships.at(0).createdAt.isValid());

        QCOMPARE_KIND(SessionRepository(db()).authenticate(randomBytes(32), 30min), StoreErrorKind::InvalidSession);
    }

    void lastSeenIsTouchedAtMostOncePerMinute()
    {
        RegistrationOutcome account;
        const QByteArray token = userWithSession(QStringLiteral("pavel"), &account);
        QCOMPARE(account.session->lastSeenAt, m_clock.now());
        m_clock.advance(5min);
        QVERIFY_STORE(SessionRepository(db()).authenticate(token, 30min));
        auto after = SessionRepository(db()).findById(account.session->id);
        QVERIFY_STORE(after);
        QCOMPARE(after->lastSeenAt, m_clock.now());
        const QDateTime touched = after->lastSeenAt;
        m_clock.advance(59s);
        QVERIFY_STORE(SessionRepository(db()).authenticate(token, 30min));
        auto again = SessionRepository(db()).findById(account.session->id);
        QVERIFY_STORE(again);
        QCOMPARE(again->lastSeenAt, touched); // not written again within the minute
    }

    void expiredIdleRevokedAndDisabledAreRefused()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        const QByteArray expired = userWithSession(QStringLiteral("quinn"), &account);
        m_clock.advance(1h - 1s); // signUp() makes sessions of one hour
        QVERIFY_STORE(sessions.authenticate(expired, 0s));
        m_clock.advance(1s);
        QCOMPARE_KIND(sessions.authenticate(expired, 0s), StoreErrorKind::InvalidSession);

        const QByteArray idle = userWithSession(QStringLiteral("rita"), &account);
        m_clock.advance(31min);
        QCOMPARE_KIND(sessions.authenticate(idle, 30min), StoreErrorKind::InvalidSession);
        QVERIFY_STORE(sessions.authenticate(idle, 0s)); // no idle limit configured
        auto idleRow = sessions.findById(account.session->id);
        QVERIFY_STORE(idleRow);

        const QByteArray revoked = userWithSession(QStringLiteral("sam"), &account);
        QVERIFY_STORE(sessions.revoke(account.session->id, account.user.id, QStringLiteral("test"), {}));
        QCOMPARE_KIND(sessions.authenticate(revoked, 30min), StoreErrorKind::InvalidSession);

        const QByteArray disabled = userWithSession(QStringLiteral("tina"), &account);
        QVERIFY_STORE(UserRepository(db()).setDisabled(account.user.id, true, AuditContext{.actor = actorForOperator(QStringLiteral("o"))}));
        QCOMPARE_KIND(sessions.authenticate(disabled, 30min), StoreErrorKind::InvalidSession);
        auto row = sessions.findById(account.session->id);
        QVERIFY_STORE(row);
        QCOMPARE(row->state, SessionState::Revoked); // disabling revoked it
        QCOMPARE(row->revokeReason, QStringLiteral("user_disabled"));
    }

    void rotationKeepsFamilyAndAbsoluteExpiry()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        const QByteArray first = userWithSession(QStringLiteral("uma"), &account);
        const QByteArray second = randomBytes(32);
        auto rotated = sessions.rotate(first, second, 30min, {QString(), QStringLiteral("10.0.0.2"), QStringLiteral("UA2")});
        QVERIFY_STORE(rotated);
        QCOMPARE(rotated->familyId, account.session->familyId);
        QVERIFY(rotated->id != account.session->id);
        QCOMPARE(rotated->expiresAt, account.session->expiresAt);
        QCOMPARE(rotated->clientIp, QStringLiteral("10.0.0.2"));

        auto old = sessions.findById(account.session->id);
        QVERIFY_STORE(old);
        QCOMPARE(old->state, SessionState::Rotated);
        QVERIFY_STORE(sessions.authenticate(second, 30min));
        QCOMPARE(auditCount(db(), QStringLiteral("session_refresh")), 1);
    }

    void reusedTokenRevokesTheFamily()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        const QByteArray first = userWithSession(QStringLiteral("vera"), &account);
        const QByteArray second = randomBytes(32);
        const QByteArray third = randomBytes(32);
        QVERIFY_STORE(sessions.rotate(first, second, 30min, {}));
        QVERIFY_STORE(sessions.rotate(second, third, 30min, {}));
        QVERIFY_STORE(sessions.authenticate(third, 30min));
        // Someone replays the first token: reuse, and the live third dies too.
        QCOMPARE_KIND(sessions.authenticate(first, 30min), StoreErrorKind::TokenReused);
        QCOMPARE_KIND(sessions.authenticate(third, 30min), StoreErrorKind::InvalidSession);
        QCOMPARE_KIND(sessions.rotate(second, randomBytes(32), 30min, {}), StoreErrorKind::TokenReused);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM sessions WHERE family_id = ?::uuid"
                                                " AND revoked_at IS NULL AND rotated_at IS NULL"),
                           {account.session->familyId.toString(QUuid::WithoutBraces)}),
                 0);
        AuditFilter filter;
        filter.events = {QStringLiteral("token_reused")};
        filter.userId = account.user.id;
        auto events = AuditRepository(db()).query(filter);
        QVERIFY_STORE(events);
        QVERIFY(events->size() >= 1);
        QVERIFY(!events->last().event.success);
        QCOMPARE(events->last().event.details.value(QStringLiteral("sessions_revoked")).toInt(), 3);
    }

    void concurrentRefreshesWithOneTokenGiveOneWinner()
    {
        RegistrationOutcome account;
        const QByteArray token = userWithSession(QStringLiteral("walt"), &account);
        const QStringList outcomes =
            raceOnDatabase(m_test->parameters(), 2, [&](Database &mine, int) {
                return outcomeOf(SessionRepository(mine).rotate(token, randomBytes(32), 30min, {}));
            });
        // The second presentation of one token is reuse: the family ends.
        QCOMPARE(outcomes.count(QStringLiteral("ok")), 1);
        QCOMPARE(outcomes.count(QStringLiteral("token_reused")), 1);
    }

    void logoutOneAndAll()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        const QByteArray a = userWithSession(QStringLiteral("xena"), &account);
        QList<QByteArray> more;
        for (int i = 0; i < 3; ++i) {
            more << randomBytes(32);
            QVERIFY_STORE(sessions.create(NewSession{.userId = account.user.id, .passkeyId = account.passkey.id, .tokenHash = more.last(), .lifetime = 1h}));
        }
        auto one = sessions.logout(a, false, {});
        QVERIFY_STORE(one);
        QCOMPARE(*one, 1);
        QCOMPARE_KIND(sessions.authenticate(a, 30min), StoreErrorKind::InvalidSession);
        QCOMPARE_KIND(sessions.logout(a, false, {}), StoreErrorKind::InvalidSession);
        QVERIFY_STORE(sessions.authenticate(more.at(0), 30min));

        auto all = sessions.logout(more.at(0), true, {});
        QVERIFY_STORE(all);
        QCOMPARE(*all, 3);
        for (const QByteArray &token : more)
            QCOMPARE_KIND(sessions.authenticate(token, 30min), StoreErrorKind::InvalidSession);
        AuditFilter filter;
        filter.events = {QStringLiteral("logout")};
        filter.userId = account.user.id;
        auto events = AuditRepository(db()).query(filter);
        QVERIFY_STORE(events);
        QCOMPARE(events->size(), 2);
        QCOMPARE(events->first().event.actor, actorForUser(account.user.id));
    }

    void revokeRespectsOwnerAndRevokeAll()
    {
        SessionRepository sessions(db());
        RegistrationOutcome yuri, zoe;
        const QByteArray yuriToken = userWithSession(QStringLiteral("yuri"), &yuri);
        userWithSession(QStringLiteral("zoe"), &zoe);
        // Zoe cannot end Yuri's session.
        QCOMPARE_KIND(sessions.revoke(yuri.session->id, zoe.user.id, QStringLiteral("user"), {}), StoreErrorKind::NotFound);
        QVERIFY_STORE(sessions.authenticate(yuriToken, 30min));
        // An operator ends all of Yuri's.
        QVERIFY_STORE(sessions.create(NewSession{.userId = yuri.user.id, .tokenHash = randomBytes(32), .lifetime = 1h}));
        auto count = sessions.revokeAllOfUser(yuri.user.id, QStringLiteral("operator"),
                                              AuditContext{.actor = actorForOperator(QStringLiteral("alice-ops"))});
        QVERIFY_STORE(count);
        QCOMPARE(*count, 2);
        QCOMPARE_KIND(sessions.authenticate(yuriToken, 30min), StoreErrorKind::InvalidSession);
        AuditFilter filter;
        filter.events = {QStringLiteral("session_revoked")};
        filter.userId = yuri.user.id;
        auto events = AuditRepository(db()).query(filter);
        QVERIFY_STORE(events);
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->first().event.actor, QStringLiteral("operator:alice-ops"));
        QCOMPARE_KIND(sessions.revokeAllOfUser(QUuid::createUuid(), QString(), {}), StoreErrorKind::NotFound);
    }

    void listsWithStates()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        const QByteArray live = userWithSession(QStringLiteral("amos"), &account);
        QVERIFY_STORE(sessions.rotate(live, randomBytes(32), 30min, {}));                 // rotated + live
        const QByteArray revoked = randomBytes(32);
        auto revokedRow = sessions.create(NewSession{.userId = account.user.id, .tokenHash = revoked, .lifetime = 1h});
        QVERIFY_STORE(revokedRow);
        QVERIFY_STORE(sessions.revoke(revokedRow->id, {}, QStringLiteral("test"), {}));  // revoked
        QVERIFY_STORE(sessions.create(NewSession{.userId = account.user.id, .tokenHash = randomBytes(32), .lifetime = 0s})); // expired

        auto all = sessions.listByUser(account.user.id, false, 30min);
        QVERIFY_STORE(all);
        QCOMPARE(all->size(), 4);
        QMap<SessionState, int> states;
        for (const SessionRecord &row : *all)
            ++states[row.state];
        QCOMPARE(states.value(SessionState::Live), 1);
        QCOMPARE(states.value(SessionState::Rotated), 1);
        QCOMPARE(states.value(SessionState::Revoked), 1);
        QCOMPARE(states.value(SessionState::Expired), 1);
        auto liveOnly = sessions.listByUser(account.user.id, true, 30min);
        QVERIFY_STORE(liveOnly);
        QCOMPARE(liveOnly->size(), 1);

        SessionQuery query;
        query.search = QStringLiteral("amo");
        query.state = SessionState::Revoked;
        auto console = sessions.list(query);
        QVERIFY_STORE(console);
        QCOMPARE(console->size(), 1);
        QCOMPARE(console->first().username, QStringLiteral("amos"));
        query.state.reset();
        console = sessions.list(query);
        QVERIFY_STORE(console);
        QCOMPARE(console->size(), 4);
        query.search = QStringLiteral("%"); // a literal, not a wildcard
        console = sessions.list(query);
        QVERIFY_STORE(console);
        QCOMPARE(console->size(), 0);
    }

    void sweepDeletesLongExpired()
    {
        SessionRepository sessions(db());
        RegistrationOutcome account;
        userWithSession(QStringLiteral("bert"), &account);
        m_clock.advance(std::chrono::hours(24 * 7)); // expired 6 days 23 hours ago: kept
        QVERIFY_STORE(sessions.sweepExpired(std::chrono::hours(24 * 7)));
        QVERIFY_STORE(sessions.findById(account.session->id));
        m_clock.advance(1h + 1s); // expired a week ago: gone
        auto swept = sessions.sweepExpired(std::chrono::hours(24 * 7));
        QVERIFY_STORE(swept);
        QVERIFY(*swept >= 1);
        QCOMPARE_KIND(sessions.findById(account.session->id), StoreErrorKind::NotFound);
    }
};

QTEST_GUILESS_MAIN(SessionsTest)
#include "tst_sessions.moc"
