// Challenges: stored with their binding, consumed exactly once (also when
// two threads race with the same challenge), refused after expiry or for the
// other ceremony, swept when expired; the ceremony variants load the
// credential and its owner in the same statement.

#include "shared/store/ceremony_repository.h"
#include "shared/store/challenge_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/manual_clock.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

using namespace daarion::store;
using namespace daarion::testing;

class ChallengesTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    ManualClock m_clock; // expiry is judged by it: tests move it, never sleep
    Database &db() { return m_test->database(); }

    ChallengeRecord authenticationChallenge(const QUuid &userId = {})
    {
        ChallengeRecord challenge;
        challenge.challenge = randomBytes(32);
        challenge.ceremony = Ceremony::Authentication;
        challenge.userId = userId;
        challenge.rpId = QStringLiteral("localhost");
        challenge.userVerification = QStringLiteral("preferred");
        return challenge;
    }

    ChallengeRecord signUpChallenge(const QString &username)
    {
        ChallengeRecord challenge;
        challenge.challenge = randomBytes(32);
        challenge.ceremony = Ceremony::Registration;
        challenge.pendingUsername = username;
        challenge.pendingDisplayName = QStringLiteral("Pending Person");
        challenge.pendingUserHandle = randomBytes(32);
        challenge.deviceName = QStringLiteral("Laptop");
        challenge.rpId = QStringLiteral("localhost");
        challenge.userVerification = QStringLiteral("required");
        return challenge;
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        m_test->useClock(m_clock);
    }
    void cleanupTestCase() { m_test.reset(); }

    void storesItsBindingAndIsConsumedOnce()
    {
        ChallengeRepository challenges(db());
        const ChallengeRecord issued = signUpChallenge(QStringLiteral("pending_one"));
        auto created = challenges.create(issued);
        QVERIFY_STORE(created);
        QVERIFY(created->expiresAt > created->createdAt);
        QVERIFY(qAbs(created->createdAt.secsTo(created->expiresAt) - 300) <= 1);

        auto consumed = challenges.consume(issued.challenge, Ceremony::Registration);
        QVERIFY_STORE(consumed);
        QCOMPARE(consumed->challenge, issued.challenge);
        QVERIFY(consumed->isSignUp());
        QCOMPARE(consumed->pendingUsername, issued.pendingUsername);
        QCOMPARE(consumed->pendingDisplayName, issued.pendingDisplayName);
        QCOMPARE(consumed->pendingUserHandle, issued.pendingUserHandle);
        QCOMPARE(consumed->deviceName, issued.deviceName);
        QCOMPARE(consumed->rpId, issued.rpId);
        QCOMPARE(consumed->userVerification, issued.userVerification);

        QCOMPARE_KIND(challenges.consume(issued.challenge, Ceremony::Registration), StoreErrorKind::ChallengeInvalid);
    }

    void otherCeremonyDoesNotConsumeIt()
    {
        ChallengeRepository challenges(db());
        const ChallengeRecord issued = authenticationChallenge();
        QVERIFY_STORE(challenges.create(issued));
        QCOMPARE_KIND(challenges.consume(issued.challenge, Ceremony::Registration), StoreErrorKind::ChallengeInvalid);
        QVERIFY_STORE(challenges.consume(issued.challenge, Ceremony::Authentication));
    }

    void unknownAndMalformedAreInvalid()
    {
        ChallengeRepository challenges(db());
        QCOMPARE_KIND(challenges.consume(randomBytes(32), Ceremony::Authentication), StoreErrorKind::ChallengeInvalid);
        QCOMPARE_KIND(challenges.consume(QByteArray(), Ceremony::Authentication), StoreErrorKind::ChallengeInvalid);
        ChallengeRecord shortOne = authenticationChallenge();
        shortOne.challenge = randomBytes(16);
        QCOMPARE_KIND(challenges.create(shortOne), StoreErrorKind::InvalidInput);
        ChallengeRecord badPolicy = authenticationChallenge();
        badPolicy.userVerification = QStringLiteral("sometimes");
        QCOMPARE_KIND(challenges.create(badPolicy), StoreErrorKind::InvalidInput);
        ChallengeRecord orphanRegistration = authenticationChallenge();
        orphanRegistration.ceremony = Ceremony::Registration; // neither a user nor a pending sign-up
        QCOMPARE_KIND(challenges.create(orphanRegistration), StoreErrorKind::InvalidInput);
    }

    void expiredIsInvalidAndGone()
    {
        ChallengeRepository challenges(db());
        const ChallengeRecord issued = authenticationChallenge();
        QVERIFY_STORE(challenges.create(issued, std::chrono::seconds(300)));
        m_clock.advance(std::chrono::seconds(300)); // the last instant is already past
        auto consumed = challenges.consume(issued.challenge, Ceremony::Authentication);
        QCOMPARE_KIND(consumed, StoreErrorKind::ChallengeInvalid);
        QVERIFY(consumed.error().message.contains(QStringLiteral("expired")));
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM passkey_challenges WHERE challenge = ?::bytea"),
                           {issued.challenge}),
                 0);
        // A zero ttl is already expired on the next statement.
        const ChallengeRecord instant = authenticationChallenge();
        QVERIFY_STORE(challenges.create(instant, std::chrono::seconds(0)));
        QCOMPARE_KIND(challenges.consume(instant.challenge, Ceremony::Authentication), StoreErrorKind::ChallengeInvalid);
    }

    void sweepRemovesOnlyExpired()
    {
        ChallengeRepository challenges(db());
        QVERIFY(m_test->exec(QStringLiteral("DELETE FROM passkey_challenges")).isEmpty());
        for (int i = 0; i < 3; ++i)
            QVERIFY_STORE(challenges.create(authenticationChallenge(), std::chrono::seconds(0)));
        const ChallengeRecord fresh = authenticationChallenge();
        QVERIFY_STORE(challenges.create(fresh));
        auto swept = challenges.sweepExpired();
        QVERIFY_STORE(swept);
        QCOMPARE(*swept, 3);
        QVERIFY_STORE(challenges.consume(fresh.challenge, Ceremony::Authentication));
    }

    void racingConsumersHaveExactlyOneWinner()
    {
        // Repeat: a single race might not overlap.
        for (int round = 0; round < 20; ++round) {
            const ChallengeRecord issued = authenticationChallenge();
            QVERIFY_STORE(ChallengeRepository(db()).create(issued));
            const QStringList outcomes =
                raceOnDatabase(m_test->parameters(), 4, [&](Database &mine, int) {
                    return outcomeOf(ChallengeRepository(mine).consume(issued.challenge,
                                                                       Ceremony::Authentication));
                });
            QCOMPARE(outcomes.count(QStringLiteral("ok")), 1);
            QCOMPARE(outcomes.count(QStringLiteral("challenge_invalid")), 3);
        }
    }

    void consumeAuthenticationLoadsCredentialAndOwner()
    {
        auto alice = signUp(db(), QStringLiteral("alice_c"));
        QVERIFY_STORE(alice);
        const ChallengeRecord issued = authenticationChallenge(alice->user.id);
        QVERIFY_STORE(ChallengeRepository(db()).create(issued));
        CeremonyRepository ceremonies(db());
        auto consumed = ceremonies.consumeAuthentication(issued.challenge, alice->passkey.credentialId);
        QVERIFY_STORE(consumed);
        QCOMPARE(consumed->challenge.userId, alice->user.id);
        QVERIFY(consumed->passkey.has_value());
        QCOMPARE(consumed->passkey->id, alice->passkey.id);
        QCOMPARE(consumed->passkey->publicKey, alice->passkey.publicKey);
        QCOMPARE(consumed->passkey->transports, alice->passkey.transports);
        QVERIFY(consumed->owner.has_value());
        QCOMPARE(consumed->owner->username, QStringLiteral("alice_c"));
        QCOMPARE(consumed->owner->userHandle, alice->user.userHandle);
        // Used: a second finish fails even with the right credential.
        QCOMPARE_KIND(ceremonies.consumeAuthentication(issued.challenge, alice->passkey.credentialId),
                      StoreErrorKind::ChallengeInvalid);
    }

    void unknownCredentialStillConsumesTheChallenge()
    {
        const ChallengeRecord issued = authenticationChallenge();
        QVERIFY_STORE(ChallengeRepository(db()).create(issued));
        CeremonyRepository ceremonies(db());
        auto consumed = ceremonies.consumeAuthentication(issued.challenge, randomCredentialId());
        QVERIFY_STORE(consumed);
        QVERIFY(!consumed->passkey.has_value());
        QVERIFY(!consumed->owner.has_value());
        QCOMPARE_KIND(ceremonies.consumeAuthentication(issued.challenge, randomCredentialId()),
                      StoreErrorKind::ChallengeInvalid);
    }

    void consumeRegistrationLoadsTheAccount()
    {
        auto bob = signUp(db(), QStringLiteral("bob_c"));
        QVERIFY_STORE(bob);
        ChallengeRecord adding;
        adding.challenge = randomBytes(32);
        adding.ceremony = Ceremony::Registration;
        adding.userId = bob->user.id;
        adding.rpId = QStringLiteral("localhost");
        adding.userVerification = QStringLiteral("preferred");
        QVERIFY_STORE(ChallengeRepository(db()).create(adding));
        auto consumed = CeremonyRepository(db()).consumeRegistration(adding.challenge);
        QVERIFY_STORE(consumed);
        QVERIFY(!consumed->challenge.isSignUp());
        QVERIFY(consumed->user.has_value());
        QCOMPARE(consumed->user->id, bob->user.id);

        const ChallengeRecord signUpOne = signUpChallenge(QStringLiteral("newcomer"));
        QVERIFY_STORE(ChallengeRepository(db()).create(signUpOne));
        auto pending = CeremonyRepository(db()).consumeRegistration(signUpOne.challenge);
        QVERIFY_STORE(pending);
        QVERIFY(pending->challenge.isSignUp());
        QVERIFY(!pending->user.has_value());
        // An authentication challenge is not a registration one.
        const ChallengeRecord wrong = authenticationChallenge();
        QVERIFY_STORE(ChallengeRepository(db()).create(wrong));
        QCOMPARE_KIND(CeremonyRepository(db()).consumeRegistration(wrong.challenge), StoreErrorKind::ChallengeInvalid);
    }

    void conditionalCreateIsRememberedForAnAccountOnly()
    {
        // WebAuthn L3 conditional create: the finish must know the start asked
        // for it (only then may UP be clear), and only an account's own
        // registration can be one (migration 009).
        auto carol = signUp(db(), QStringLiteral("carol_c"));
        QVERIFY_STORE(carol);
        ChallengeRecord upgrade;
        upgrade.challenge = randomBytes(32);
        upgrade.ceremony = Ceremony::Registration;
        upgrade.userId = carol->user.id;
        upgrade.rpId = QStringLiteral("localhost");
        upgrade.userVerification = QStringLiteral("preferred");
        upgrade.conditional = true;
        auto created = ChallengeRepository(db()).create(upgrade);
        QVERIFY_STORE(created);
        QVERIFY(created->conditional);
        auto consumed = CeremonyRepository(db()).consumeRegistration(upgrade.challenge);
        QVERIFY_STORE(consumed);
        QVERIFY(consumed->challenge.conditional);

        ChallengeRecord plain = upgrade;
        plain.challenge = randomBytes(32);
        plain.conditional = false;
        QVERIFY_STORE(ChallengeRepository(db()).create(plain));
        auto consumedPlain =
            ChallengeRepository(db()).consume(plain.challenge, Ceremony::Registration);
        QVERIFY_STORE(consumedPlain);
        QVERIFY(!consumedPlain->conditional);

        ChallengeRecord signUpOne = signUpChallenge(QStringLiteral("conditional_newcomer"));
        signUpOne.conditional = true;
        QCOMPARE_KIND(ChallengeRepository(db()).create(signUpOne), StoreErrorKind::InvalidInput);
        ChallengeRecord signIn = authenticationChallenge(carol->user.id);
        signIn.conditional = true;
        QCOMPARE_KIND(ChallengeRepository(db()).create(signIn), StoreErrorKind::InvalidInput);
        QCOMPARE(countRows(db(), QStringLiteral(
                                     "SELECT count(*) FROM passkey_challenges WHERE conditional")),
                 qint64(0));
    }
};

QTEST_GUILESS_MAIN(ChallengesTest)
#include "tst_challenges.moc"
