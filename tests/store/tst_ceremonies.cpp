// Registration and sign-in commits: what a sign-up writes (user, passkey,
// session, audit) in one transaction, the distinct conflicts that leave
// nothing behind, and the one-statement sign-in commit (counter, last login,
// session, audit) with its refusals.

#include "shared/store/audit_repository.h"
#include "shared/store/ceremony_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/test_database.h"

using namespace daarion::store;
using namespace daarion::testing;

class CeremoniesTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Database &db() { return m_test->database(); }

    qint64 total(const char *table)
    {
        return countRows(db(), QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
    }

    AuthenticationCommit signIn(const RegistrationOutcome &account, qint64 signCount)
    {
        AuthenticationCommit commit;
        commit.passkeyId = account.passkey.id;
        commit.userId = account.user.id;
        commit.signCount = signCount;
        commit.backupState = true;
        commit.sessionTokenHash = randomBytes(32);
        commit.sessionLifetime = std::chrono::hours(12);
        commit.context.clientIp = QStringLiteral("198.51.100.7");
        commit.context.userAgent = QStringLiteral("Browser/1.0");
        return commit;
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
    }
    void cleanupTestCase() { m_test.reset(); }

    void signUpWritesEverythingOnce()
    {
        const QByteArray token = randomBytes(32);
        auto outcome = signUp(db(), QStringLiteral("alice"), token);
        QVERIFY_STORE(outcome);
        QCOMPARE(outcome->user.username, QStringLiteral("alice"));
        QCOMPARE(outcome->user.displayName, QStringLiteral("ALICE"));
        QCOMPARE(outcome->user.userHandle.size(), 32);
        QCOMPARE(outcome->passkey.userId, outcome->user.id);
        QCOMPARE(outcome->passkey.alg, -7);
        QCOMPARE(outcome->passkey.transports, (QStringList{QStringLiteral("internal"), QStringLiteral("hybrid")}));
        QVERIFY(outcome->passkey.backupEligible && outcome->passkey.backupState && outcome->passkey.userVerified);
        QVERIFY(outcome->session.has_value());
        QCOMPARE(outcome->session->userId, outcome->user.id);
        QCOMPARE(outcome->session->passkeyId, outcome->passkey.id);
        QCOMPARE(outcome->session->state, SessionState::Live);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(outcome->session->expiresAt) - 3600) < 60);

        auto records = AuditRepository(db()).query(AuditFilter{.events = {QStringLiteral("registration")}, .userId = outcome->user.id});
        QVERIFY_STORE(records);
        QCOMPARE(records->size(), 1);
        const AuditEvent &event = records->first().event;
        QVERIFY(event.success);
        QCOMPARE(event.username, QStringLiteral("alice"));
        QCOMPARE(event.passkeyId, outcome->passkey.id);
        QCOMPARE(event.credentialId, outcome->passkey.credentialId);
        QCOMPARE(event.sessionId, outcome->session->id);
        QCOMPARE(event.clientIp, QStringLiteral("192.0.2.1"));
        QCOMPARE(event.actor, actorForUser(outcome->user.id));
        QCOMPARE(event.details.value(QStringLiteral("fmt")).toString(), QStringLiteral("none"));

        // The token hash finds the session.
        auto live = SessionRepository(db()).authenticate(token, std::chrono::minutes(30));
        QVERIFY_STORE(live);
        QCOMPARE(live->user.id, outcome->user.id);
    }

    void takenUsernameLeavesNothing()
    {
        const qint64 users = total("users"), passkeys = total("passkeys"), sessions = total("sessions"),
                     events = total("auth_events");
        auto again = signUp(db(), QStringLiteral("alice"), randomBytes(32));
        QCOMPARE_KIND(again, StoreErrorKind::UsernameTaken);
        QCOMPARE(total("users"), users);
        QCOMPARE(total("passkeys"), passkeys);
        QCOMPARE(total("sessions"), sessions);
        QCOMPARE(total("auth_events"), events);
    }

    void duplicateCredentialLeavesNothing()
    {
        auto first = signUp(db(), QStringLiteral("carol"));
        QVERIFY_STORE(first);
        const qint64 users = total("users"), passkeys = total("passkeys"), sessions = total("sessions"),
                     events = total("auth_events");

        // Another sign-up presenting the same credential ID: the new user is rolled back too.
        RegistrationCommit commit;
        commit.newUser = {QStringLiteral("dave"), QStringLiteral("Dave"), randomBytes(32)};
        commit.passkey = newPasskey(first->passkey.credentialId);
        commit.sessionTokenHash = randomBytes(32);
        commit.sessionLifetime = std::chrono::hours(1);
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(commit), StoreErrorKind::CredentialExists);

        // The same credential added to an existing account (even its own).
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(
                          RegistrationCommit{.existingUserId = first->user.id, .passkey = newPasskey(first->passkey.credentialId)}),
                      StoreErrorKind::CredentialExists);

        QCOMPARE(total("users"), users);
        QCOMPARE(total("passkeys"), passkeys);
        QCOMPARE(total("sessions"), sessions);
        QCOMPARE(total("auth_events"), events);
        QCOMPARE_KIND(UserRepository(db()).findByUsername(QStringLiteral("dave")), StoreErrorKind::NotFound);
    }

    void addingAPasskeyToAnAccount()
    {
        auto erin = signUp(db(), QStringLiteral("erin"));
        QVERIFY_STORE(erin);
        auto added = addPasskey(db(), erin->user.id);
        QVERIFY_STORE(added);
        QCOMPARE(added->user.id, erin->user.id);
        QVERIFY(!added->session.has_value());
        auto passkeys = PasskeyRepository(db()).listByUser(erin->user.id);
        QVERIFY_STORE(passkeys);
        QCOMPARE(passkeys->size(), 2);
        QCOMPARE(auditCount(db(), QStringLiteral("passkey_added")), 1);

        QCOMPARE_KIND(addPasskey(db(), QUuid::createUuid()), StoreErrorKind::NotFound);
        QVERIFY_STORE(UserRepository(db()).setDisabled(erin->user.id, true, AuditContext{.actor = actorForOperator(QStringLiteral("op"))}));
        QCOMPARE_KIND(addPasskey(db(), erin->user.id), StoreErrorKind::Disabled);
    }

    void badValuesAreInvalidInput()
    {
        RegistrationCommit commit;
        commit.newUser = {QStringLiteral("Not Valid!"), QString(), randomBytes(32)};
        commit.passkey = newPasskey();
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(commit), StoreErrorKind::InvalidInput);
        commit.newUser = {QStringLiteral("valid_name"), QString(65, QLatin1Char('x')), randomBytes(32)};
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(commit), StoreErrorKind::InvalidInput);
        commit.newUser = {QStringLiteral("valid_name"), QString(), randomBytes(32)};
        commit.passkey = newPasskey(QStringLiteral("not base64url!"));
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(commit), StoreErrorKind::InvalidInput);
        commit.passkey = newPasskey(QString(1365, QLatin1Char('A')));
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(commit), StoreErrorKind::InvalidInput);
        commit.passkey = newPasskey(QString(1364, QLatin1Char('A')));
        QVERIFY_STORE(CeremonyRepository(db()).completeRegistration(commit));
    }

    void signInCommitsCounterSessionAndAudit()
    {
        auto frank = signUp(db(), QStringLiteral("frank"));
        QVERIFY_STORE(frank);
        const AuthenticationCommit commit = signIn(*frank, 5);
        auto session = CeremonyRepository(db()).completeAuthentication(commit);
        QVERIFY_STORE(session);
        QCOMPARE(session->userId, frank->user.id);
        QCOMPARE(session->passkeyId, frank->passkey.id);
        QCOMPARE(session->clientIp, QStringLiteral("198.51.100.7"));
        QCOMPARE(session->userAgent, QStringLiteral("Browser/1.0"));
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(session->expiresAt) - 12 * 3600) < 60);

        auto passkey = PasskeyRepository(db()).findById(frank->passkey.id);
        QVERIFY_STORE(passkey);
        QCOMPARE(passkey->signCount, 5);
        QVERIFY(passkey->lastUsedAt.isValid());
        auto user = UserRepository(db()).findById(frank->user.id);
        QVERIFY_STORE(user);
        QVERIFY(user->lastLoginAt.isValid());

        AuditFilter filter;
        filter.events = {QStringLiteral("login_success")};
        filter.userId = frank->user.id;
        auto events = AuditRepository(db()).query(filter);
        QVERIFY_STORE(events);
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->first().event.sessionId, session->id);
        QCOMPARE(events->first().event.credentialId, frank->passkey.credentialId);
        QCOMPARE(events->first().event.actor, actorForUser(frank->user.id));
        QCOMPARE(events->first().event.details.value(QStringLiteral("sign_count")).toLongLong(), 5);

        auto live = SessionRepository(db()).authenticate(commit.sessionTokenHash, std::chrono::minutes(30));
        QVERIFY_STORE(live);
        QCOMPARE(live->session.id, session->id);
    }

    void signInRefusalsWriteNothing()
    {
        auto grace = signUp(db(), QStringLiteral("grace"));
        QVERIFY_STORE(grace);
        QVERIFY_STORE(CeremonyRepository(db()).completeAuthentication(signIn(*grace, 10)));
        const qint64 sessions = total("sessions"), events = total("auth_events");

        // The counter moved to 10 meanwhile: a commit of 10 (or less) conflicts.
        QCOMPARE_KIND(CeremonyRepository(db()).completeAuthentication(signIn(*grace, 10)), StoreErrorKind::Conflict);
        QCOMPARE_KIND(CeremonyRepository(db()).completeAuthentication(signIn(*grace, 3)), StoreErrorKind::Conflict);
        // Another user's id with this passkey.
        AuthenticationCommit wrongUser = signIn(*grace, 11);
        wrongUser.userId = QUuid::createUuid();
        QCOMPARE_KIND(CeremonyRepository(db()).completeAuthentication(wrongUser), StoreErrorKind::NotFound);
        // Disabled passkey, then disabled user.
        const AuditContext operatorContext{.actor = actorForOperator(QStringLiteral("root"))};
        QVERIFY_STORE(PasskeyRepository(db()).setDisabled(grace->passkey.id, true, operatorContext));
        QCOMPARE_KIND(CeremonyRepository(db()).completeAuthentication(signIn(*grace, 11)), StoreErrorKind::Disabled);
        QVERIFY_STORE(PasskeyRepository(db()).setDisabled(grace->passkey.id, false, operatorContext));
        QVERIFY_STORE(UserRepository(db()).setDisabled(grace->user.id, true, operatorContext));
        QCOMPARE_KIND(CeremonyRepository(db()).completeAuthentication(signIn(*grace, 11)), StoreErrorKind::Disabled);

        auto passkey = PasskeyRepository(db()).findById(grace->passkey.id);
        QVERIFY_STORE(passkey);
        QCOMPARE(passkey->signCount, 10);
        QCOMPARE(total("sessions"), sessions);
        // Only the operator's three audit rows (passkey off, on, user off) were added.
        QCOMPARE(total("auth_events"), events + 3);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'login_success'"
                                                " AND user_id = ?::uuid"),
                           {grace->user.id.toString(QUuid::WithoutBraces)}),
                 1);
    }

    void zeroCountersSignInRepeatedly()
    {
        auto heidi = signUp(db(), QStringLiteral("heidi"));
        QVERIFY_STORE(heidi);
        for (int i = 0; i < 3; ++i)
            QVERIFY_STORE(CeremonyRepository(db()).completeAuthentication(signIn(*heidi, 0)));
    }

    void counterRegressionIsFlaggedWithItsAudit()
    {
        auto ivan = signUp(db(), QStringLiteral("ivan"));
        QVERIFY_STORE(ivan);
        QVERIFY_STORE(CeremonyRepository(db()).completeAuthentication(signIn(*ivan, 40)));
        QVERIFY_STORE(PasskeyRepository(db()).flagCounterRegression(
            ivan->passkey.id, 7, AuditContext{QString(), QStringLiteral("203.0.113.9"), QStringLiteral("UA")}));
        auto passkey = PasskeyRepository(db()).findById(ivan->passkey.id);
        QVERIFY_STORE(passkey);
        QVERIFY(passkey->counterRegressed());
        QCOMPARE(passkey->signCount, 40);
        AuditFilter filter;
        filter.events = {QStringLiteral("counter_regression")};
        filter.userId = ivan->user.id;
        auto events = AuditRepository(db()).query(filter);
        QVERIFY_STORE(events);
        QCOMPARE(events->size(), 1);
        const AuditEvent &event = events->first().event;
        QVERIFY(!event.success);
        QCOMPARE(event.errorCode, QStringLiteral("counter_regression"));
        QCOMPARE(event.clientIp, QStringLiteral("203.0.113.9"));
        QCOMPARE(event.details.value(QStringLiteral("presented_sign_count")).toLongLong(), 7);
        QCOMPARE(event.details.value(QStringLiteral("stored_sign_count")).toLongLong(), 40);
        QCOMPARE_KIND(PasskeyRepository(db()).flagCounterRegression(QUuid::createUuid(), 1, {}),
                      StoreErrorKind::NotFound);
    }
};

QTEST_GUILESS_MAIN(CeremoniesTest)
#include "tst_ceremonies.moc"
