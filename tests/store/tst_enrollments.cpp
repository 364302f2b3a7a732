// Enrollment links in the store: only the token's hash is kept; times and
// their bounds judged by the store's clock (moved, never slept); invites
// create a passkey-less account; a newer link supersedes older ones;
// disabled accounts are refused; owner and operator revocation; use inside
// the registration's transaction (passkey, link, other sessions ended, new
// session, audit rows) and exactly one winner when two uses race; passkey
// hygiene (deleting or disabling a passkey ends the sessions it made);
// display names; account activity pages.

#include "shared/store/audit_repository.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/manual_clock.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

#include <functional>

using namespace daarion::store;
using namespace daarion::testing;
using namespace std::chrono_literals;

namespace
{

const AuditContext kOperator{
    .actor = QStringLiteral("operator:kate"), .clientIp = {}, .userAgent = QStringLiteral("cli")};

NewEnrollment recoveryFor(const QUuid &userId, std::chrono::seconds delay = 0s,
                          std::chrono::seconds lifetime = 24h)
{
    NewEnrollment enrollment;
    enrollment.userId = userId;
    enrollment.tokenHash = randomBytes(32);
    enrollment.delay = delay;
    enrollment.lifetime = lifetime;
    enrollment.note = QStringLiteral("ticket 42: lost phone, identity checked by video call");
    enrollment.context = kOperator;
    return enrollment;
}

// A registration that uses link `enrollmentId` for `userId` with a fresh passkey.
RegistrationCommit enrollmentCommit(const QUuid &userId, const QUuid &enrollmentId,
                                    bool revokeOthers = true)
{
    RegistrationCommit commit;
    commit.existingUserId = userId;
    commit.passkey = newPasskey();
    commit.enrollmentId = enrollmentId;
    commit.revokeOtherSessions = revokeOthers;
    commit.sessionTokenHash = randomBytes(32);
    commit.sessionLifetime = 1h;
    commit.context.clientIp = QStringLiteral("198.51.100.7");
    return commit;
}

} // namespace

class EnrollmentsTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    ManualClock m_clock;
    Database &db() { return m_test->database(); }

    // A user with one passkey and one live session (its token hash in *token).
    RegistrationOutcome person(const QString &username, QByteArray *token = nullptr)
    {
        const QByteArray hash = randomBytes(32);
        auto outcome = signUp(db(), username, hash);
        if (!outcome)
            qFatal("sign-up failed: %s", qPrintable(outcome.error().message));
        if (token)
            *token = hash;
        return *outcome;
    }

    qint64 rows(const QString &table, const QUuid &userId)
    {
        return countRows(
            db(), QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = ?::uuid").arg(table),
            {userId.toString(QUuid::WithoutBraces)});
    }

    qint64 liveSessions(const QUuid &userId)
    {
        auto live = SessionRepository(db()).listByUser(userId, true, 0s);
        return live ? live->size() : -1;
    }

    qint64 audited(const QString &event, const QUuid &userId)
    {
        return countRows(
            db(),
            QStringLiteral(
                "SELECT count(*) FROM auth_events WHERE event = ? AND user_id = ?::uuid"),
            {event, userId.toString(QUuid::WithoutBraces)});
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        m_test->useClock(m_clock);
    }
    void cleanupTestCase() { m_test.reset(); }

    void issuingKeepsOnlyTheHashAndAuditsTheOperator()
    {
        const auto ada = person(QStringLiteral("ada"));
        const NewEnrollment request = recoveryFor(ada.user.id);
        auto issued = EnrollmentRepository(db()).issue(request);
        QVERIFY_STORE(issued);
        QCOMPARE(issued->user.id, ada.user.id);
        QCOMPARE(issued->enrollment.kind, EnrollmentKind::Recovery);
        QCOMPARE(issued->enrollment.issuedBy, QStringLiteral("operator:kate"));
        QCOMPARE(issued->enrollment.username, QStringLiteral("ada"));
        QCOMPARE(issued->enrollment.note, request.note);
        QCOMPARE(issued->enrollment.createdAt, m_clock.now().toUTC());
        QCOMPARE(issued->enrollment.usableAt, issued->enrollment.createdAt);
        QCOMPARE(issued->enrollment.expiresAt, issued->enrollment.createdAt.addSecs(24 * 3600));
        QCOMPARE(issued->enrollment.stateAt(m_clock.now()), EnrollmentState::Usable);
        // Found by the hash; the table holds nothing else of the token.
        auto found = EnrollmentRepository(db()).findByTokenHash(request.tokenHash);
        QVERIFY_STORE(found);
        QCOMPARE(found->id, issued->enrollment.id);
        QCOMPARE(
            countRows(db(),
                      QStringLiteral(
                          "SELECT octet_length(token_hash) FROM enrollments WHERE id = ?::uuid"),
                      {issued->enrollment.id.toString(QUuid::WithoutBraces)}),
            32);
        QCOMPARE_KIND(EnrollmentRepository(db()).findByTokenHash(randomBytes(32)),
                      StoreErrorKind::NotFound);

        auto trail = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("enrollment_issued")}, .userId = ada.user.id});
        QVERIFY_STORE(trail);
        QCOMPARE(trail->size(), 1);
        QCOMPARE(trail->first().event.actor, QStringLiteral("operator:kate"));
        QCOMPARE(trail->first().event.details.value(QStringLiteral("enrollment_id")).toString(),
                 issued->enrollment.id.toString(QUuid::WithoutBraces));
    }

    void aDelayedLinkWaitsThenWorksThenExpires()
    {
        const auto ben = person(QStringLiteral("ben"));
        auto issued = EnrollmentRepository(db()).issue(recoveryFor(ben.user.id, 48h, 24h));
        QVERIFY_STORE(issued);
        const EnrollmentRecord &link = issued->enrollment;
        QCOMPARE(link.usableAt, link.createdAt.addSecs(48 * 3600));
        QCOMPARE(link.expiresAt, link.usableAt.addSecs(24 * 3600));
        const QDateTime start = m_clock.now();
        QCOMPARE(link.stateAt(start), EnrollmentState::Waiting);
        QCOMPARE(link.stateAt(start.addSecs(48 * 3600)), EnrollmentState::Usable);
        QCOMPARE(link.stateAt(start.addSecs(72 * 3600)), EnrollmentState::Expired);
        // Waiting links are pending: the owner's sessions see them.
        auto pending = EnrollmentRepository(db()).listPending(ben.user.id);
        QVERIFY_STORE(pending);
        QCOMPARE(pending->size(), 1);

        // Before usable_at it cannot be used; nothing is written.
        QCOMPARE_KIND(
            CeremonyRepository(db()).completeRegistration(enrollmentCommit(ben.user.id, link.id)),
            StoreErrorKind::EnrollmentInvalid);
        QCOMPARE(rows(QStringLiteral("passkeys"), ben.user.id), 1);
        QCOMPARE(liveSessions(ben.user.id), 1);

        m_clock.advance(73h); // past expires_at
        QCOMPARE_KIND(
            CeremonyRepository(db()).completeRegistration(enrollmentCommit(ben.user.id, link.id)),
            StoreErrorKind::EnrollmentInvalid);
        QCOMPARE(rows(QStringLiteral("passkeys"), ben.user.id), 1);
        pending = EnrollmentRepository(db()).listPending(ben.user.id);
        QVERIFY_STORE(pending);
        QCOMPARE(pending->size(), 0); // expired ones are not pending
    }

    void timesOutOfBoundsAreRefusedAndWriteNothing()
    {
        const auto cy = person(QStringLiteral("cyd"));
        const qint64 before = rows(QStringLiteral("enrollments"), cy.user.id);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(cy.user.id, 7 * 24h + 1s)),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(cy.user.id, 0s, 7 * 24h + 1s)),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(cy.user.id, 0s, 4min)),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(cy.user.id, -1s)),
                      StoreErrorKind::InvalidInput);
        NewEnrollment longNote = recoveryFor(cy.user.id);
        longNote.note = QString(201, QLatin1Char('n'));
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(longNote), StoreErrorKind::InvalidInput);
        NewEnrollment nobody = recoveryFor(cy.user.id);
        nobody.context.actor.clear();
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(nobody), StoreErrorKind::InvalidInput);
        QCOMPARE(rows(QStringLiteral("enrollments"), cy.user.id), before);
        QCOMPARE(audited(QStringLiteral("enrollment_issued"), cy.user.id), 0);
        // The longest allowed ones pass.
        QVERIFY_STORE(EnrollmentRepository(db()).issue(recoveryFor(cy.user.id, 7 * 24h, 7 * 24h)));
    }

    void anInviteCreatesAPasskeylessAccountAndReservesTheName()
    {
        NewEnrollment invite;
        invite.invite =
            NewUser{QStringLiteral("newcomer"), QStringLiteral("New Comer"), randomBytes(32)};
        invite.tokenHash = randomBytes(32);
        invite.context = kOperator;
        auto issued = EnrollmentRepository(db()).issue(invite);
        QVERIFY_STORE(issued);
        QCOMPARE(issued->enrollment.kind, EnrollmentKind::Invite);
        QCOMPARE(issued->user.username, QStringLiteral("newcomer"));
        QCOMPARE(issued->user.displayName, QStringLiteral("New Comer"));
        QCOMPARE(rows(QStringLiteral("passkeys"), issued->user.id), 0);
        QVERIFY(UserRepository(db()).usernameExists(QStringLiteral("newcomer")).value());

        // An invite for a taken name leaves nothing behind.
        const qint64 users = countRows(db(), QStringLiteral("SELECT count(*) FROM users"));
        const qint64 links = countRows(db(), QStringLiteral("SELECT count(*) FROM enrollments"));
        const qint64 events = countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events"));
        invite.invite->userHandle = randomBytes(32);
        invite.tokenHash = randomBytes(32);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(invite), StoreErrorKind::UsernameTaken);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM users")), users);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM enrollments")), links);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")), events);

        // Using the invite gives the account its first passkey and a session.
        auto used = CeremonyRepository(db()).completeRegistration(
            enrollmentCommit(issued->user.id, issued->enrollment.id));
        QVERIFY_STORE(used);
        QVERIFY(used->session.has_value());
        QCOMPARE(rows(QStringLiteral("passkeys"), issued->user.id), 1);
        QCOMPARE(used->sessionsRevoked, 0);
    }

    void aNewerLinkSupersedesTheOlderOnes()
    {
        const auto dee = person(QStringLiteral("dee"));
        auto first = EnrollmentRepository(db()).issue(recoveryFor(dee.user.id));
        QVERIFY_STORE(first);
        auto second = EnrollmentRepository(db()).issue(recoveryFor(dee.user.id, 1h));
        QVERIFY_STORE(second);
        QCOMPARE(second->superseded, 1);
        auto old = EnrollmentRepository(db()).findById(first->enrollment.id);
        QVERIFY_STORE(old);
        QCOMPARE(old->stateAt(m_clock.now()), EnrollmentState::Revoked);
        QCOMPARE(old->revokeReason, QStringLiteral("superseded"));
        QCOMPARE(old->revokedBy, QStringLiteral("operator:kate"));
        auto pending = EnrollmentRepository(db()).listPending(dee.user.id);
        QVERIFY_STORE(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().id, second->enrollment.id);
        QCOMPARE(audited(QStringLiteral("enrollment_revoked"), dee.user.id), 1);
        // The superseded link cannot be used.
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(
                          enrollmentCommit(dee.user.id, first->enrollment.id)),
                      StoreErrorKind::EnrollmentInvalid);
    }

    void aDisabledAccountGetsNoLinkAndCannotUseOne()
    {
        const auto eve = person(QStringLiteral("eve"));
        auto link = EnrollmentRepository(db()).issue(recoveryFor(eve.user.id));
        QVERIFY_STORE(link);
        QVERIFY_STORE(UserRepository(db()).setDisabled(eve.user.id, true, kOperator));
        const qint64 links = rows(QStringLiteral("enrollments"), eve.user.id);
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(eve.user.id)),
                      StoreErrorKind::Disabled);
        QCOMPARE(rows(QStringLiteral("enrollments"), eve.user.id), links);
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(
                          enrollmentCommit(eve.user.id, link->enrollment.id)),
                      StoreErrorKind::Disabled);
        QCOMPARE(rows(QStringLiteral("passkeys"), eve.user.id), 1);
        auto still = EnrollmentRepository(db()).findById(link->enrollment.id);
        QVERIFY_STORE(still);
        QVERIFY(!still->usedAt.isValid());
        QCOMPARE_KIND(EnrollmentRepository(db()).issue(recoveryFor(QUuid::createUuid())),
                      StoreErrorKind::NotFound);
    }

    void theOwnerAndAnOperatorRevoke()
    {
        const auto fay = person(QStringLiteral("fay"));
        const auto gus = person(QStringLiteral("gus"));
        auto fays = EnrollmentRepository(db()).issue(recoveryFor(fay.user.id, 48h));
        QVERIFY_STORE(fays);
        const AuditContext gusSelf{
            .actor = actorForUser(gus.user.id), .clientIp = {}, .userAgent = {}};
        const AuditContext faySelf{
            .actor = actorForUser(fay.user.id), .clientIp = {}, .userAgent = {}};
        // Someone else's link is not found, and stays pending.
        QCOMPARE_KIND(EnrollmentRepository(db()).revoke(fays->enrollment.id, gus.user.id,
                                                        QStringLiteral("owner"), gusSelf),
                      StoreErrorKind::NotFound);
        QCOMPARE(audited(QStringLiteral("enrollment_revoked"), fay.user.id), 0);
        auto cancelled = EnrollmentRepository(db()).revoke(fays->enrollment.id, fay.user.id,
                                                           QStringLiteral("owner"), faySelf);
        QVERIFY_STORE(cancelled);
        QCOMPARE(cancelled->revokedBy, actorForUser(fay.user.id));
        QCOMPARE(cancelled->revokeReason, QStringLiteral("owner"));
        QCOMPARE(audited(QStringLiteral("enrollment_revoked"), fay.user.id), 1);
        QCOMPARE_KIND(EnrollmentRepository(db()).revoke(fays->enrollment.id, fay.user.id,
                                                        QStringLiteral("owner"), faySelf),
                      StoreErrorKind::NotFound);

        auto gusLink = EnrollmentRepository(db()).issue(recoveryFor(gus.user.id));
        QVERIFY_STORE(gusLink);
        auto revoked = EnrollmentRepository(db()).revoke(
            gusLink->enrollment.id, QUuid(), QStringLiteral("operator"),
            AuditContext{.actor = QStringLiteral("operator:lee")});
        QVERIFY_STORE(revoked);
        QCOMPARE(revoked->revokedBy, QStringLiteral("operator:lee"));
        auto trail = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("enrollment_revoked")}, .userId = gus.user.id});
        QVERIFY_STORE(trail);
        QCOMPARE(trail->size(), 1);
        QCOMPARE(trail->first().event.actor, QStringLiteral("operator:lee"));
        QCOMPARE(trail->first().event.details.value(QStringLiteral("reason")).toString(),
                 QStringLiteral("operator"));
    }

    void usingALinkAddsThePasskeyEndsOtherSessionsAndSignsIn()
    {
        QByteArray oldToken;
        const auto hal = person(QStringLiteral("hal"), &oldToken);
        auto link = EnrollmentRepository(db()).issue(recoveryFor(hal.user.id));
        QVERIFY_STORE(link);
        const RegistrationCommit commit = enrollmentCommit(hal.user.id, link->enrollment.id);
        auto used = CeremonyRepository(db()).completeRegistration(commit);
        QVERIFY_STORE(used);
        QCOMPARE(used->sessionsRevoked, 1);
        QVERIFY(used->enrollment.has_value());
        QCOMPARE(used->enrollment->usedPasskeyId, used->passkey.id);
        QCOMPARE(used->enrollment->stateAt(m_clock.now()), EnrollmentState::Used);
        QVERIFY(used->session.has_value());
        QCOMPARE(used->session->passkeyId, used->passkey.id);
        // Both passkeys listed; the old session dead, the new one live.
        QCOMPARE(rows(QStringLiteral("passkeys"), hal.user.id), 2);
        QCOMPARE_KIND(SessionRepository(db()).authenticate(oldToken, 0s),
                      StoreErrorKind::InvalidSession);
        QVERIFY_STORE(SessionRepository(db()).authenticate(*commit.sessionTokenHash, 0s));
        QCOMPARE(countRows(db(),
                           QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = ?::uuid"
                                          " AND revoke_reason = 'enrollment'"),
                           {hal.user.id.toString(QUuid::WithoutBraces)}),
                 1);
        auto trail = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("enrollment_used")}, .userId = hal.user.id});
        QVERIFY_STORE(trail);
        QCOMPARE(trail->size(), 1);
        QCOMPARE(trail->first().event.actor, actorForUser(hal.user.id));
        QCOMPARE(trail->first().event.sessionId, used->session->id);
        QCOMPARE(
            trail->first().event.details.value(QStringLiteral("sessions_revoked")).toLongLong(), 1);
        QCOMPARE(trail->first().event.details.value(QStringLiteral("issued_by")).toString(),
                 QStringLiteral("operator:kate"));
        QCOMPARE(audited(QStringLiteral("passkey_added"), hal.user.id), 1);

        // Used once: a second use (another passkey) is refused and changes nothing.
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(
                          enrollmentCommit(hal.user.id, link->enrollment.id)),
                      StoreErrorKind::EnrollmentInvalid);
        QCOMPARE(rows(QStringLiteral("passkeys"), hal.user.id), 2);
        QCOMPARE(liveSessions(hal.user.id), 1);
        // A link is for its own account only.
        const auto ivy = person(QStringLiteral("ivy"));
        auto ivys = EnrollmentRepository(db()).issue(recoveryFor(ivy.user.id));
        QVERIFY_STORE(ivys);
        QCOMPARE_KIND(CeremonyRepository(db()).completeRegistration(
                          enrollmentCommit(hal.user.id, ivys->enrollment.id)),
                      StoreErrorKind::EnrollmentInvalid);
        QCOMPARE(rows(QStringLiteral("passkeys"), hal.user.id), 2);
        QCOMPARE(EnrollmentRepository(db()).findById(ivys->enrollment.id)->stateAt(m_clock.now()),
                 EnrollmentState::Usable);
    }

    void keepingTheOtherSessionsIsASetting()
    {
        const auto jo = person(QStringLiteral("joe"));
        auto link = EnrollmentRepository(db()).issue(recoveryFor(jo.user.id));
        QVERIFY_STORE(link);
        auto used = CeremonyRepository(db()).completeRegistration(
            enrollmentCommit(jo.user.id, link->enrollment.id, false));
        QVERIFY_STORE(used);
        QCOMPARE(used->sessionsRevoked, 0);
        QCOMPARE(liveSessions(jo.user.id), 2);
    }

    void racingUsesHaveExactlyOneWinner()
    {
        const auto kai = person(QStringLiteral("kai"));
        for (int round = 0; round < 8; ++round) {
            auto link = EnrollmentRepository(db()).issue(recoveryFor(kai.user.id));
            QVERIFY_STORE(link);
            const qint64 passkeysBefore = rows(QStringLiteral("passkeys"), kai.user.id);
            // Each contender on its own connection, as two replicas would be.
            const QStringList outcomes =
                raceOnDatabase(m_test->parameters(), 2, [&](Database &mine, int) {
                    return outcomeOf(CeremonyRepository(mine).completeRegistration(
                        enrollmentCommit(kai.user.id, link->enrollment.id)));
                });
            QCOMPARE(outcomes.count(QStringLiteral("ok")), 1);
            QCOMPARE(outcomes.count(storeErrorKindName(StoreErrorKind::EnrollmentInvalid)), 1);
            QCOMPARE(rows(QStringLiteral("passkeys"), kai.user.id), passkeysBefore + 1);
            QCOMPARE(liveSessions(kai.user.id), 1);
        }
    }

    void aChallengeCarriesItsLink()
    {
        const auto lu = person(QStringLiteral("lux"));
        auto link = EnrollmentRepository(db()).issue(recoveryFor(lu.user.id));
        QVERIFY_STORE(link);
        ChallengeRecord challenge;
        challenge.challenge = randomBytes(32);
        challenge.ceremony = Ceremony::Registration;
        challenge.userId = lu.user.id;
        challenge.enrollmentId = link->enrollment.id;
        challenge.rpId = QStringLiteral("localhost");
        challenge.userVerification = QStringLiteral("preferred");
        QVERIFY_STORE(ChallengeRepository(db()).create(challenge));
        auto consumed = CeremonyRepository(db()).consumeRegistration(challenge.challenge);
        QVERIFY_STORE(consumed);
        QCOMPARE(consumed->challenge.enrollmentId, link->enrollment.id);
        QVERIFY(consumed->enrollment.has_value());
        QCOMPARE(consumed->enrollment->id, link->enrollment.id);
        QCOMPARE(consumed->enrollment->username, QStringLiteral("lux"));
        // A sign-up's challenge has none.
        ChallengeRecord signUpChallenge = challenge;
        signUpChallenge.challenge = randomBytes(32);
        signUpChallenge.userId = QUuid();
        signUpChallenge.enrollmentId = QUuid();
        signUpChallenge.pendingUsername = QStringLiteral("someone");
        signUpChallenge.pendingUserHandle = randomBytes(32);
        QVERIFY_STORE(ChallengeRepository(db()).create(signUpChallenge));
        auto signUpConsumed =
            CeremonyRepository(db()).consumeRegistration(signUpChallenge.challenge);
        QVERIFY_STORE(signUpConsumed);
        QVERIFY(!signUpConsumed->enrollment.has_value());
        // Only a registration for an account may carry a link.
        ChallengeRecord wrong = challenge;
        wrong.challenge = randomBytes(32);
        wrong.ceremony = Ceremony::Authentication;
        QCOMPARE_KIND(ChallengeRepository(db()).create(wrong), StoreErrorKind::InvalidInput);
    }

    void deletingOrDisablingAPasskeyEndsTheSessionsItMade()
    {
        QByteArray firstToken;
        const auto max = person(QStringLiteral("max"), &firstToken);
        auto second = addPasskey(db(), max.user.id);
        QVERIFY_STORE(second);
        NewSession other{.userId = max.user.id,
                         .passkeyId = second->passkey.id,
                         .tokenHash = randomBytes(32),
                         .lifetime = 1h,
                         .clientIp = {},
                         .userAgent = {}};
        QVERIFY_STORE(SessionRepository(db()).create(other));
        // A rotated session keeps its passkey: its successor ends too.
        const QByteArray rotated = randomBytes(32);
        QVERIFY_STORE(SessionRepository(db()).rotate(firstToken, rotated, 0s, {}));
        QCOMPARE(liveSessions(max.user.id), 2);

        const AuditContext self{
            .actor = actorForUser(max.user.id), .clientIp = {}, .userAgent = {}};
        QVERIFY_STORE(PasskeyRepository(db()).remove(max.passkey.id, max.user.id, self));
        QCOMPARE_KIND(SessionRepository(db()).authenticate(rotated, 0s),
                      StoreErrorKind::InvalidSession);
        QVERIFY_STORE(SessionRepository(db()).authenticate(other.tokenHash, 0s));
        QCOMPARE(countRows(db(),
                           QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = ?::uuid"
                                          " AND revoke_reason = 'passkey_deleted'"),
                           {max.user.id.toString(QUuid::WithoutBraces)}),
                 1);
        auto deleted = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("passkey_deleted")}, .userId = max.user.id});
        QVERIFY_STORE(deleted);
        QCOMPARE(
            deleted->first().event.details.value(QStringLiteral("sessions_revoked")).toLongLong(),
            1);

        // Disabling (an operator) ends the other passkey's session; enabling brings nothing back.
        QVERIFY_STORE(PasskeyRepository(db()).setDisabled(second->passkey.id, true, kOperator));
        QCOMPARE_KIND(SessionRepository(db()).authenticate(other.tokenHash, 0s),
                      StoreErrorKind::InvalidSession);
        QVERIFY_STORE(PasskeyRepository(db()).setDisabled(second->passkey.id, false, kOperator));
        QCOMPARE(liveSessions(max.user.id), 0);
        auto disabled = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("passkey_disabled")}, .userId = max.user.id});
        QVERIFY_STORE(disabled);
        QCOMPARE(
            disabled->first().event.details.value(QStringLiteral("sessions_revoked")).toLongLong(),
            1);
    }

    void theDisplayNameChangesWithItsAuditRow()
    {
        const auto ned = person(QStringLiteral("ned"));
        const AuditContext self{
            .actor = actorForUser(ned.user.id), .clientIp = {}, .userAgent = {}};
        auto renamed =
            UserRepository(db()).setDisplayName(ned.user.id, QStringLiteral("Ned Stark"), self);
        QVERIFY_STORE(renamed);
        QCOMPARE(renamed->displayName, QStringLiteral("Ned Stark"));
        auto trail = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("display_name_changed")}, .userId = ned.user.id});
        QVERIFY_STORE(trail);
        QCOMPARE(trail->size(), 1);
        QCOMPARE(trail->first().event.details.value(QStringLiteral("previous")).toString(),
                 QStringLiteral("NED"));
        QCOMPARE_KIND(
            UserRepository(db()).setDisplayName(ned.user.id, QString(65, QLatin1Char('x')), self),
            StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(
            UserRepository(db()).setDisplayName(QUuid::createUuid(), QStringLiteral("x"), self),
            StoreErrorKind::NotFound);
    }

    void activityIsOneAccountsRowsNewestFirstAPageAtATime()
    {
        const auto oz = person(QStringLiteral("ozz"));
        const auto pip = person(QStringLiteral("pip"));
        const AuditContext self{.actor = actorForUser(oz.user.id), .clientIp = {}, .userAgent = {}};
        for (int i = 0; i < 5; ++i)
            QVERIFY_STORE(UserRepository(db()).setDisplayName(
                oz.user.id, QStringLiteral("Oz %1").arg(i), self));
        QVERIFY_STORE(
            UserRepository(db()).setDisplayName(pip.user.id, QStringLiteral("Pip"), self));
        const QStringList events{QStringLiteral("registration"),
                                 QStringLiteral("display_name_changed")};
        auto all = AuditRepository(db()).accountActivity(oz.user.id, events, 0, 100);
        QVERIFY_STORE(all);
        QCOMPARE(all->size(), 6);
        for (const AuditRecord &record : *all)
            QCOMPARE(record.event.userId, oz.user.id);
        QCOMPARE(all->last().eventName, QStringLiteral("registration"));
        auto firstPage = AuditRepository(db()).accountActivity(oz.user.id, events, 0, 2);
        QVERIFY_STORE(firstPage);
        QCOMPARE(firstPage->size(), 2);
        QCOMPARE(firstPage->first().id, all->first().id);
        auto secondPage =
            AuditRepository(db()).accountActivity(oz.user.id, events, firstPage->last().id, 2);
        QVERIFY_STORE(secondPage);
        QCOMPARE(secondPage->first().id, all->at(2).id);
        // Only the events asked for.
        auto registrations = AuditRepository(db()).accountActivity(
            oz.user.id, {QStringLiteral("registration")}, 0, 100);
        QVERIFY_STORE(registrations);
        QCOMPARE(registrations->size(), 1);
        QCOMPARE_KIND(AuditRepository(db()).accountActivity(QUuid(), events, 0, 10),
                      StoreErrorKind::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(EnrollmentsTest)
#include "tst_enrollments.moc"
