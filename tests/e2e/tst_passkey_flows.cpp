// The passkey service end to end: the real daemon over real HTTP on a real
// PostgreSQL, driven by the software authenticator as a browser would.

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include "shared/store/database.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion::testing;

class PasskeyFlows : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;

    QString base() const { return m_daemon.baseUrl(); }

    // One value from the test database, as text.
    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }

    // A fresh account, signed up and signed in; its name is unique per call.
    PasskeyUser *newUser(const QString &prefix, SoftAuthenticator::Config config = {})
    {
        static int counter = 0;
        auto *user = new PasskeyUser(base(), std::move(config));
        m_users.emplace_back(user);
        const QString name = prefix + QString::number(++counter);
        const HttpResponse response = user->signUp(name);
        if (response.status != 200)
            qWarning() << "sign-up of" << name << "failed:" << response.describe();
        user->http().clearCookies();
        m_names.insert(user, name);
        return user;
    }
    QString nameOf(PasskeyUser *user) const { return m_names.value(user); }

    std::vector<std::unique_ptr<PasskeyUser>> m_users;
    QHash<PasskeyUser *, QString> m_names;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}}),
                 qPrintable(m_daemon.failure()));
    }

    void signUpSignsInAtOnce()
    {
        PasskeyUser alice(base());
        const HttpResponse response = alice.signUp(QStringLiteral("alice"), QStringLiteral("Alice"));
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject body = response.json();
        QVERIFY(!body.value(QStringLiteral("session_token")).toString().isEmpty());
        QVERIFY(QDateTime::fromString(body.value(QStringLiteral("expires_at")).toString(), Qt::ISODate).isValid());
        const QJsonObject actor = body.value(QStringLiteral("actor")).toObject();
        QCOMPARE(actor.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(actor.value(QStringLiteral("display_name")).toString(), QStringLiteral("Alice"));
        QCOMPARE(actor.value(QStringLiteral("actor_type")).toString(), QStringLiteral("human"));
        QVERIFY(actor.value(QStringLiteral("actor_id")).toString().startsWith(QStringLiteral("user:")));
        const QJsonObject credential = body.value(QStringLiteral("credential")).toObject();
        QCOMPARE(credential.value(QStringLiteral("credential_id")).toString(),
                 alice.authenticator().credentials().constFirst().idBase64Url());
        const QByteArray cookie = response.header("Set-Cookie");
        QVERIFY2(cookie.startsWith("session_token=") && cookie.contains("HttpOnly") &&
                     cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
                 cookie.constData());

        const HttpResponse me = alice.get(QStringLiteral("/auth/me"));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'registration' "
                                       "AND username = 'alice' AND outcome = 'success'")),
                 QStringLiteral("1"));
        // Only the token's hash is kept.
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sessions WHERE token_hash = sha256(?::text::bytea)"),
                        {alice.token}),
                 QStringLiteral("1"));
    }

    void takenUsernameIsRefused()
    {
        PasskeyUser first(base());
        QCOMPARE(first.signUp(QStringLiteral("taken")).status, 200);
        PasskeyUser second(base());
        const HttpResponse response = second.startSignUp(QStringLiteral("taken"));
        QCOMPARE(response.status, 409);
        QCOMPARE(response.errorCode(), QStringLiteral("username_taken"));
    }

    void signOutEndsTheSession()
    {
        PasskeyUser *user = newUser(QStringLiteral("out"));
        const QString token = user->token;
        const HttpResponse out = user->post(QStringLiteral("/auth/logout"));
        QCOMPARE(out.status, 204);
        QVERIFY(out.header("Set-Cookie").contains("Max-Age=0"));
        const HttpResponse me = user->get(QStringLiteral("/auth/me"));
        QCOMPARE(me.status, 401);
        QCOMPARE(me.errorCode(), QStringLiteral("invalid_session"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'logout' AND username = ?"),
                        {nameOf(user)}),
                 QStringLiteral("1"));
    }

    void signInUsernameFirst()
    {
        PasskeyUser *user = newUser(QStringLiteral("first"));
        user->token.clear();
        const HttpResponse started = user->startSignIn(nameOf(user));
        QCOMPARE(started.status, 200);
        const QJsonArray allowed = started.json().value(QStringLiteral("allowCredentials")).toArray();
        QCOMPARE(allowed.size(), 1);
        QCOMPARE(allowed.first().toObject().value(QStringLiteral("id")).toString(),
                 user->authenticator().credentials().constFirst().idBase64Url());
        const SoftAssertion assertion = user->assert_(started.json());
        QVERIFY(assertion.ok());
        const HttpResponse finished = user->finishSignIn(assertion.json);
        QVERIFY2(finished.status == 200, qPrintable(finished.describe()));
        QCOMPARE(finished.json().value(QStringLiteral("actor")).toObject().value(QStringLiteral("username")).toString(),
                 nameOf(user));
        QVERIFY(finished.header("Set-Cookie").startsWith("session_token="));
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 200);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'login_success' AND username = ?"),
                        {nameOf(user)}),
                 QStringLiteral("1"));
    }

    void signInDiscoverable()
    {
        PasskeyUser *user = newUser(QStringLiteral("disc"));
        user->token.clear();
        const HttpResponse started = user->startSignIn(std::nullopt);
        QCOMPARE(started.status, 200);
        QVERIFY(started.json().value(QStringLiteral("allowCredentials")).toArray().isEmpty());
        const HttpResponse finished = user->finishSignIn(user->assert_(started.json()).json);
        QVERIFY2(finished.status == 200, qPrintable(finished.describe()));
        QCOMPARE(user->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("username")).toString(),
                 nameOf(user));
    }

    void discoverableSignInNeedsUserHandle()
    {
        PasskeyUser *user = newUser(QStringLiteral("nohandle"));
        SoftTweaks tweaks;
        tweaks.userHandle = QByteArray(); // drop it
        const HttpResponse response = user->signIn(std::nullopt, tweaks);
        QCOMPARE(response.status, 401);
        QCOMPARE(response.errorCode(), QStringLiteral("unknown_credential"));
    }

    void unknownUsernameLooksLikeAKnownOne()
    {
        PasskeyUser stranger(base());
        const HttpResponse first = stranger.startSignIn(QStringLiteral("nobody-here"));
        const HttpResponse again = stranger.startSignIn(QStringLiteral("nobody-here"));
        QCOMPARE(first.status, 200);
        const QJsonArray allowed = first.json().value(QStringLiteral("allowCredentials")).toArray();
        QCOMPARE(allowed.size(), 1);
        QCOMPARE(allowed, again.json().value(QStringLiteral("allowCredentials")).toArray());
        const QStringList keys = first.json().keys();
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()),
                 QSet<QString>({QStringLiteral("challenge"), QStringLiteral("timeout"),
                                QStringLiteral("rpId"), QStringLiteral("allowCredentials"),
                                QStringLiteral("userVerification"), QStringLiteral("hints")}));
    }

    void addSecondPasskeyNeedsTheSession()
    {
        PasskeyUser *user = newUser(QStringLiteral("two"));
        const HttpResponse started = user->startAddPasskey();
        QCOMPARE(started.status, 200);
        const QJsonArray excluded = started.json().value(QStringLiteral("excludeCredentials")).toArray();
        QCOMPARE(excluded.size(), 1);
        QCOMPARE(excluded.first().toObject().value(QStringLiteral("id")).toString(),
                 user->authenticator().credentials().constFirst().idBase64Url());

        SoftAuthenticator second;
        const SoftRegistration registration = second.create(started.json(), user->origin());
        const HttpResponse added = user->finishRegistration(registration.json);
        QVERIFY2(added.status == 200, qPrintable(added.describe()));
        QVERIFY(added.json().contains(QStringLiteral("credential")));
        QVERIFY(!added.json().contains(QStringLiteral("session_token")));
        QCOMPARE(user->get(QStringLiteral("/auth/passkeys")).json().value(QStringLiteral("passkeys")).toArray().size(), 2);

        // Without a session there is no way onto an existing account.
        PasskeyUser intruder(base());
        const HttpResponse refused = intruder.http().post(QStringLiteral("/auth/passkey/register/start"), QJsonObject{});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        // A finish for an add-passkey challenge without the account's session.
        const HttpResponse again = user->startAddPasskey();
        SoftAuthenticator third;
        const SoftRegistration stolen = third.create(again.json(), user->origin());
        const HttpResponse noSession = intruder.finishRegistration(stolen.json);
        QCOMPARE(noSession.status, 401);
        QCOMPARE(noSession.errorCode(), QStringLiteral("unauthenticated"));
    }

    void renameAndDeletePasskeys()
    {
        PasskeyUser *user = newUser(QStringLiteral("rename"));
        // The same authenticator refuses (excludeCredentials): a second device.
        QCOMPARE(user->addPasskey().networkError, QStringLiteral("authenticator refused: InvalidStateError"));
        SoftAuthenticator laptop;
        const HttpResponse added =
            user->finishRegistration(laptop.create(user->startAddPasskey().json(), user->origin()).json);
        QCOMPARE(added.status, 200);
        const QJsonArray passkeys = user->get(QStringLiteral("/auth/passkeys")).json().value(QStringLiteral("passkeys")).toArray();
        QCOMPARE(passkeys.size(), 2);
        const QString first = passkeys.at(0).toObject().value(QStringLiteral("id")).toString();
        const QString second = passkeys.at(1).toObject().value(QStringLiteral("id")).toString();

        const HttpResponse renamed = user->patch(QStringLiteral("/auth/passkeys/") + first,
                                                 QJsonObject{{QStringLiteral("device_name"), QStringLiteral("Work laptop")}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.json().value(QStringLiteral("device_name")).toString(), QStringLiteral("Work laptop"));

        QCOMPARE(user->del(QStringLiteral("/auth/passkeys/") + second).status, 204);
        const HttpResponse last = user->del(QStringLiteral("/auth/passkeys/") + first);
        QCOMPARE(last.status, 409);
        QCOMPARE(last.errorCode(), QStringLiteral("last_credential"));

        // Someone else's passkey is not found, not forbidden: ids tell nothing.
        PasskeyUser *other = newUser(QStringLiteral("other"));
        const HttpResponse foreign = other->del(QStringLiteral("/auth/passkeys/") + first);
        QCOMPARE(foreign.status, 404);
        QCOMPARE(foreign.errorCode(), QStringLiteral("not_found"));
    }

    void refreshRotatesAndReuseRevokes()
    {
        PasskeyUser *user = newUser(QStringLiteral("rotate"));
        const QString old = user->token;
        const HttpResponse refreshed = user->post(QStringLiteral("/auth/session/refresh"));
        QCOMPARE(refreshed.status, 200);
        const QString fresh = refreshed.json().value(QStringLiteral("session_token")).toString();
        QVERIFY(!fresh.isEmpty() && fresh != old);
        user->token = fresh;
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 200);

        user->token = old;
        const HttpResponse reused = user->get(QStringLiteral("/auth/me"));
        QCOMPARE(reused.status, 401);
        QCOMPARE(reused.errorCode(), QStringLiteral("token_reused"));
        user->token = fresh; // the whole family is gone
        const HttpResponse after = user->get(QStringLiteral("/auth/me"));
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errorCode(), QStringLiteral("invalid_session"));
    }

    void counterRegressionIsRefusedAndFlagged()
    {
        SoftAuthenticator::Config config;
        config.counterMode = CounterMode::Increment;
        PasskeyUser *user = newUser(QStringLiteral("clone"), config);
        QCOMPARE(user->signIn(nameOf(user)).status, 200); // counter 1 stored
        QCOMPARE(user->signIn(nameOf(user)).status, 200); // 2
        user->authenticator().credentials().constFirst().setSignCount(0); // the clone's counter: next is 1
        const HttpResponse refused = user->signIn(nameOf(user));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("counter_regression"));
        const QString credentialId = user->authenticator().credentials().constFirst().idBase64Url();
        QCOMPARE(scalar(QStringLiteral("SELECT counter_regression_at IS NOT NULL FROM passkeys WHERE credential_id = ?"),
                        {credentialId}),
                 QStringLiteral("true"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'counter_regression' "
                                       "AND credential_id = ?"),
                        {credentialId}),
                 QStringLiteral("1"));
        QCOMPARE(scalar(QStringLiteral("SELECT sign_count FROM passkeys WHERE credential_id = ?"), {credentialId}),
                 QStringLiteral("2"));
    }

    void expiredChallengeIsRefused()
    {
        PasskeyUser *user = newUser(QStringLiteral("late"));
        const HttpResponse started = user->startSignIn(nameOf(user));
        QVERIFY(m_db.exec(QStringLiteral("UPDATE passkey_challenges SET expires_at = now() - interval '1 second'")).isEmpty());
        const HttpResponse finished = user->finishSignIn(user->assert_(started.json()).json);
        QCOMPARE(finished.status, 400);
        QCOMPARE(finished.errorCode(), QStringLiteral("challenge_invalid"));
    }

    void replayedChallengeIsRefused()
    {
        PasskeyUser *user = newUser(QStringLiteral("replay"));
        const HttpResponse started = user->startSignIn(nameOf(user));
        const SoftAssertion assertion = user->assert_(started.json());
        QCOMPARE(user->finishSignIn(assertion.json).status, 200);
        const HttpResponse replayed = user->finishSignIn(assertion.json);
        QCOMPARE(replayed.status, 400);
        QCOMPARE(replayed.errorCode(), QStringLiteral("challenge_invalid"));
    }

    void anotherUsersCredentialSignsNobodyIn()
    {
        PasskeyUser *victim = newUser(QStringLiteral("victim"));
        PasskeyUser *attacker = newUser(QStringLiteral("attacker"));
        // A sign-in started for the victim, answered with the attacker's own passkey.
        const HttpResponse started = attacker->startSignIn(nameOf(victim));
        SoftTweaks tweaks;
        tweaks.credential = attacker->authenticator().credentials().constFirst();
        const HttpResponse finished = attacker->finishSignIn(attacker->assert_(started.json(), tweaks).json);
        QCOMPARE(finished.status, 401);
        QCOMPARE(finished.errorCode(), QStringLiteral("unknown_credential"));
        // Discoverable, the attacker's passkey claiming the victim's user handle.
        const HttpResponse open = attacker->startSignIn(std::nullopt);
        SoftTweaks claim;
        claim.credential = attacker->authenticator().credentials().constFirst();
        claim.userHandle = victim->authenticator().credentials().constFirst().userHandle();
        const HttpResponse claimed = attacker->finishSignIn(attacker->assert_(open.json(), claim).json);
        QCOMPARE(claimed.status, 401);
        QCOMPARE(claimed.errorCode(), QStringLiteral("unknown_credential"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'login_failure' "
                                       "AND error_code = 'unknown_credential'")).toInt() >= 2,
                 true);
    }

    void credentialRegisteredTwiceIsRefused()
    {
        PasskeyUser *user = newUser(QStringLiteral("dup"));
        SoftTweaks sameId;
        sameId.credentialId = user->authenticator().credentials().constFirst().id();
        PasskeyUser other(base());
        const HttpResponse response = other.signUp(QStringLiteral("dupother"), {}, sameId);
        QCOMPARE(response.status, 409);
        QCOMPARE(response.errorCode(), QStringLiteral("credential_exists"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users WHERE username = 'dupother'")), QStringLiteral("0"));
    }

    void disabledAccountsAndPasskeys()
    {
        PasskeyUser *user = newUser(QStringLiteral("disabledkey"));
        QVERIFY(m_db.exec(QStringLiteral("UPDATE passkeys SET disabled_at = now() WHERE credential_id = '%1'")
                              .arg(user->authenticator().credentials().constFirst().idBase64Url())).isEmpty());
        SoftTweaks tweaks;
        tweaks.credential = user->authenticator().credentials().constFirst();
        const HttpResponse key = user->signIn(std::nullopt, tweaks);
        QCOMPARE(key.status, 403);
        QCOMPARE(key.errorCode(), QStringLiteral("credential_disabled"));

        PasskeyUser *person = newUser(QStringLiteral("disableduser"));
        QVERIFY(m_db.exec(QStringLiteral("UPDATE users SET disabled_at = now() WHERE username = '%1'")
                              .arg(nameOf(person))).isEmpty());
        const HttpResponse account = person->signIn(nameOf(person));
        QCOMPARE(account.status, 403);
        QCOMPARE(account.errorCode(), QStringLiteral("user_disabled"));
        // Its live session ends too: a disabled user has no identity.
        QCOMPARE(person->get(QStringLiteral("/auth/me")).status, 401);
    }

    void sessionsListAndRevoke()
    {
        PasskeyUser *user = newUser(QStringLiteral("sessions"));
        const QString firstToken = user->token;
        QCOMPARE(user->signIn(nameOf(user)).status, 200);
        const HttpResponse listed = user->get(QStringLiteral("/auth/sessions"));
        QCOMPARE(listed.status, 200);
        const QJsonArray sessions = listed.json().value(QStringLiteral("sessions")).toArray();
        QCOMPARE(sessions.size(), 2);
        QString other;
        int current = 0;
        for (const QJsonValue &session : sessions) {
            if (session.toObject().value(QStringLiteral("current")).toBool())
                ++current;
            else
                other = session.toObject().value(QStringLiteral("id")).toString();
        }
        QCOMPARE(current, 1);
        QCOMPARE(user->del(QStringLiteral("/auth/sessions/") + other).status, 204);
        const QString mine = user->token;
        user->token = firstToken;
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 401);
        user->token = mine;
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 200);
        QCOMPARE(user->del(QStringLiteral("/auth/sessions/") + other).status, 404);
    }

    void logoutEverywhere()
    {
        PasskeyUser *user = newUser(QStringLiteral("everywhere"));
        const QString firstToken = user->token;
        QCOMPARE(user->signIn(nameOf(user)).status, 200);
        QCOMPARE(user->post(QStringLiteral("/auth/logout?all=true")).status, 204);
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 401);
        user->token = firstToken;
        QCOMPARE(user->get(QStringLiteral("/auth/me")).status, 401);
    }

    void cookieAloneSignsIn()
    {
        PasskeyUser browser(base());
        QCOMPARE(browser.signUp(QStringLiteral("cookie-user")).status, 200);
        browser.token.clear(); // no bearer: only the cookie jar
        const HttpResponse me = browser.get(QStringLiteral("/auth/me"));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("username")).toString(), QStringLiteral("cookie-user"));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(PasskeyFlows)
#include "tst_passkey_flows.moc"
