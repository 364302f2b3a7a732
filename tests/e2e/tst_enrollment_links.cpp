// Enrollment links end to end: the operator's CLI (daarion-authd enroll)
// issues, lists and revokes; a person opens the link on a new device with
// the software authenticator and the real daemon adds the passkey, ends the
// account's other sessions and signs in. Every refusal is checked for its
// code and for what it did not change (rows counted before and after).

#include "tests/support/daemon_process.h"
#include "tests/support/manual_clock.h"
#include "tests/support/passkey_user.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

#include "shared/identity/enrollment_links.h"
#include "shared/identity/secret_token.h"
#include "shared/store/database.h"
#include "shared/store/user_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion;
using namespace daarion::testing;
using namespace std::chrono_literals;

namespace
{
const QMap<QString, QString> kNoRateLimit{{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}};
const QString kOperator = QStringLiteral("operator:tester");
} // namespace

class EnrollmentLinks : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;
    std::vector<std::unique_ptr<PasskeyUser>> m_people;

    QString base() const { return m_daemon.baseUrl(); }

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QString err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
        QJsonArray array() const { return QJsonDocument::fromJson(out).array(); }
        QString describe() const
        {
            return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(QString::fromUtf8(out), err);
        }
    };

    // daarion-authd enroll …, as the operator "tester", with extra environment.
    Run enroll(const QStringList &arguments, const QMap<QString, QString> &env = {})
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *unset : {"PUBLIC_URL", "ORIGIN", "ENROLLMENT_TTL", "ENROLLMENT_DELAY"})
            environment.remove(QString::fromLatin1(unset));
        environment.insert(QStringLiteral("DATABASE_URL"), m_db.url());
        environment.insert(QStringLiteral("USER"), QStringLiteral("tester"));
        for (auto it = env.begin(); it != env.end(); ++it)
            environment.insert(it.key(), it.value());
        process.setProcessEnvironment(environment);
        process.start(DaemonProcess::binary(), QStringList{QStringLiteral("enroll")} + arguments);
        if (!process.waitForFinished(30'000))
            process.kill();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
    }

    // A link for `username` from the CLI; fails the test when refused.
    QJsonObject link(const QString &username, const QStringList &more = {})
    {
        const Run run = enroll(
            QStringList{QStringLiteral("create"), QStringLiteral("--username"), username} + more);
        if (run.exitCode != 0)
            qWarning().noquote() << "enroll create failed:" << run.describe();
        return run.json();
    }

    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }
    int passkeysOf(const QString &username)
    {
        return scalar(
                   QStringLiteral("SELECT count(*) FROM passkeys p JOIN users u ON u.id = p.user_id"
                                  " WHERE u.username = ?"),
                   {username})
            .toInt();
    }
    int liveSessionsOf(const QString &username)
    {
        return scalar(
                   QStringLiteral(
                       "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                       " WHERE u.username = ? AND s.revoked_at IS NULL AND s.rotated_at IS NULL"),
                   {username})
            .toInt();
    }
    QString linkState(const QString &id)
    {
        return scalar(
            QStringLiteral(
                "SELECT CASE WHEN used_at IS NOT NULL THEN 'used' WHEN revoked_at IS NOT NULL"
                " THEN 'revoked:' || revoke_reason ELSE 'pending' END FROM enrollments"
                " WHERE id = ?::uuid"),
            {id});
    }
    int rowCount(const QString &table)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM ") + table).toInt();
    }

    PasskeyUser *person(const QString &username = {})
    {
        m_people.push_back(std::make_unique<PasskeyUser>(base()));
        PasskeyUser *user = m_people.back().get();
        if (!username.isEmpty()) {
            const HttpResponse signedUp = user->signUp(username);
            if (signedUp.status != 200)
                qWarning().noquote()
                    << "sign-up of" << username << "failed:" << signedUp.describe();
            user->http()
                .clearCookies(); // the bearer token only, so two people never share a cookie jar
        }
        return user;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), kNoRateLimit), qPrintable(m_daemon.failure()));
    }

    void aPersonWhoseOnlyAuthenticatorIsGoneGetsBackIn()
    {
        PasskeyUser *lostPhone = person(QStringLiteral("alice"));
        QCOMPARE(lostPhone->get(QStringLiteral("/auth/me")).status, 200);
        const QString oldCredential =
            lostPhone->authenticator().credentials().constFirst().idBase64Url();

        const Run created =
            enroll({QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("alice"),
                    QStringLiteral("--note"), QStringLiteral("ticket 7: phone lost")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.describe()));
        const QJsonObject issued = created.json();
        const QString token = issued.value(QStringLiteral("token")).toString();
        QVERIFY2(identity::isWellFormedEnrollmentToken(token), qPrintable(token));
        // PUBLIC_URL unset: the first ORIGIN (the default one here), the token in the fragment.
        QCOMPARE(issued.value(QStringLiteral("url")).toString(),
                 QStringLiteral("http://localhost:3000/enroll#token=") + token);
        QCOMPARE(issued.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(issued.value(QStringLiteral("user_id")).toString(),
                 scalar(QStringLiteral("SELECT id FROM users WHERE username = 'alice'")));
        const QDateTime usable = QDateTime::fromString(
            issued.value(QStringLiteral("usable_at")).toString(), Qt::ISODate);
        const QDateTime expires = QDateTime::fromString(
            issued.value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
        QVERIFY(usable.isValid() && qAbs(usable.secsTo(QDateTime::currentDateTimeUtc())) < 120);
        QCOMPARE(usable.secsTo(expires), 24 * 3600);
        // Only the token's hash is kept.
        QCOMPARE(
            scalar(
                QStringLiteral(
                    "SELECT count(*) FROM enrollments WHERE token_hash = sha256(?::text::bytea)"),
                {token}),
            QStringLiteral("1"));

        // A new phone opens the link.
        PasskeyUser *newPhone = person();
        const HttpResponse started = newPhone->startEnrollment(token);
        QVERIFY2(started.status == 200, qPrintable(started.describe()));
        const QJsonObject options = started.json();
        QCOMPARE(options.value(QStringLiteral("user"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("alice"));
        const QJsonArray excluded = options.value(QStringLiteral("excludeCredentials")).toArray();
        QCOMPARE(excluded.size(), 1);
        QCOMPARE(excluded.first().toObject().value(QStringLiteral("id")).toString(), oldCredential);
        // Starting does not use the link up: a cancelled prompt may start again.
        QCOMPARE(linkState(issued.value(QStringLiteral("id")).toString()),
                 QStringLiteral("pending"));

        const SoftRegistration registration = newPhone->create(options);
        const HttpResponse finished = newPhone->finishRegistration(registration.json);
        QVERIFY2(finished.status == 200, qPrintable(finished.describe()));
        const QJsonObject body = finished.json();
        QVERIFY(!body.value(QStringLiteral("session_token")).toString().isEmpty());
        QCOMPARE(body.value(QStringLiteral("actor"))
                     .toObject()
                     .value(QStringLiteral("username"))
                     .toString(),
                 QStringLiteral("alice"));
        QCOMPARE(body.value(QStringLiteral("credential"))
                     .toObject()
                     .value(QStringLiteral("credential_id"))
                     .toString(),
                 registration.credential.idBase64Url());
        QCOMPARE(body.value(QStringLiteral("sessions_revoked")).toInt(), 1);
        QVERIFY(finished.header("Set-Cookie").startsWith("session_token="));

        // Signed in on the new phone; the old session is dead; the old passkey still listed.
        QCOMPARE(newPhone->get(QStringLiteral("/auth/me"))
                     .json()
                     .value(QStringLiteral("username"))
                     .toString(),
                 QStringLiteral("alice"));
        const HttpResponse old = lostPhone->get(QStringLiteral("/auth/me"));
        QCOMPARE(old.status, 401);
        QCOMPARE(old.errorCode(), QStringLiteral("invalid_session"));
        const QJsonArray passkeys = newPhone->get(QStringLiteral("/auth/passkeys"))
                                        .json()
                                        .value(QStringLiteral("passkeys"))
                                        .toArray();
        QCOMPARE(passkeys.size(), 2);
        QStringList ids;
        for (const QJsonValue &passkey : passkeys)
            ids << passkey.toObject().value(QStringLiteral("credential_id")).toString();
        QVERIFY(ids.contains(oldCredential));

        QCOMPARE(linkState(issued.value(QStringLiteral("id")).toString()), QStringLiteral("used"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT actor FROM auth_events WHERE event = 'enrollment_issued'"
                                  " AND username = 'alice'")),
            kOperator);
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT count(*) FROM auth_events WHERE event = 'enrollment_used'"
                     " AND username = 'alice' AND details->>'sessions_revoked' = '1'")),
                 QStringLiteral("1"));

        // Used once: the same link again is enrollment_invalid and changes nothing.
        const HttpResponse again = person()->startEnrollment(token);
        QCOMPARE(again.status, 400);
        QCOMPARE(again.errorCode(), QStringLiteral("enrollment_invalid"));
        QCOMPARE(passkeysOf(QStringLiteral("alice")), 2);
        QCOMPARE(liveSessionsOf(QStringLiteral("alice")), 1);
    }

    void anInviteReservesTheNameAndSignsInOnlyAfterTheLinkIsUsed()
    {
        const Run created = enroll({QStringLiteral("create"), QStringLiteral("--new"),
                                    QStringLiteral("--username"), QStringLiteral("invitee"),
                                    QStringLiteral("--display-name"), QStringLiteral("In Vitee")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.describe()));
        QCOMPARE(created.json().value(QStringLiteral("kind")).toString(), QStringLiteral("invite"));
        QCOMPARE(passkeysOf(QStringLiteral("invitee")), 0);

        // The name is reserved meanwhile.
        const HttpResponse squatter = person()->startSignUp(QStringLiteral("invitee"));
        QCOMPARE(squatter.status, 409);
        QCOMPARE(squatter.errorCode(), QStringLiteral("username_taken"));
        // No passkey, no sign-in: what any passkey presents is unknown here.
        PasskeyUser *guesser = person();
        guesser->authenticator().addCredential(SoftCredential::generate(
            -7, QStringLiteral("localhost"), QByteArrayLiteral("someone-else")));
        const HttpResponse signInStart = guesser->startSignIn(QStringLiteral("invitee"));
        QCOMPARE(signInStart.status, 200);
        SoftTweaks mine;
        mine.credential = guesser->authenticator().credentials().constFirst();
        const HttpResponse refused =
            guesser->finishSignIn(guesser->assert_(signInStart.json(), mine).json);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("unknown_credential"));

        PasskeyUser *invitee = person();
        const HttpResponse joined =
            invitee->enroll(created.json().value(QStringLiteral("token")).toString());
        QVERIFY2(joined.status == 200, qPrintable(joined.describe()));
        const QJsonObject actor = joined.json().value(QStringLiteral("actor")).toObject();
        QCOMPARE(actor.value(QStringLiteral("username")).toString(), QStringLiteral("invitee"));
        QCOMPARE(actor.value(QStringLiteral("display_name")).toString(),
                 QStringLiteral("In Vitee"));
        QCOMPARE(joined.json().value(QStringLiteral("sessions_revoked")).toInt(), 0);
        // From now on an ordinary account: sign out, sign in username-first.
        QCOMPARE(invitee->post(QStringLiteral("/auth/logout")).status, 204);
        invitee->token.clear();
        invitee->http().clearCookies();
        const HttpResponse signedIn = invitee->signIn(QStringLiteral("invitee"));
        QVERIFY2(signedIn.status == 200, qPrintable(signedIn.describe()));
    }

    void anExpiredLinkIsInvalid()
    {
        person(QStringLiteral("late"));
        // Issued 25 hours ago with the default 24-hour life: the store's clock set back.
        ManualClock past(QDateTime::currentDateTimeUtc().addSecs(-25 * 3600));
        store::ConnectionParameters parameters = m_db.parameters();
        parameters.clock = &past;
        store::Database database(parameters);
        identity::EnrollmentLinkRequest request;
        request.username = QStringLiteral("late");
        auto issued = identity::issueEnrollmentLink(database, request,
                                                    QStringLiteral("http://localhost:3000"),
                                                    store::AuditContext{kOperator, {}, {}});
        QVERIFY2(issued.ok(), issued.ok() ? "" : qPrintable(issued.error().detail));

        const int challenges = rowCount(QStringLiteral("passkey_challenges"));
        const HttpResponse started = person()->startEnrollment(issued->token);
        QCOMPARE(started.status, 400);
        QCOMPARE(started.errorCode(), QStringLiteral("enrollment_invalid"));
        QCOMPARE(rowCount(QStringLiteral("passkey_challenges")), challenges);
        QCOMPARE(passkeysOf(QStringLiteral("late")), 1);
        // Expired links are not pending any more.
        QCOMPARE(
            enroll({QStringLiteral("list"), QStringLiteral("--username"), QStringLiteral("late")})
                .array()
                .size(),
            0);
    }

    void anOperatorRevokesALink()
    {
        person(QStringLiteral("revokee"));
        const QJsonObject issued = link(QStringLiteral("revokee"));
        const QString id = issued.value(QStringLiteral("id")).toString();
        const QJsonArray listed = enroll({QStringLiteral("list"), QStringLiteral("--username"),
                                          QStringLiteral("revokee")})
                                      .array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().toObject().value(QStringLiteral("id")).toString(), id);
        QVERIFY(
            !listed.first().toObject().contains(QStringLiteral("token"))); // shown once, at create

        const Run revoked = enroll({QStringLiteral("revoke"), id});
        QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.describe()));
        QCOMPARE(revoked.json().value(QStringLiteral("revoked_by")).toString(), kOperator);
        QCOMPARE(linkState(id), QStringLiteral("revoked:operator"));
        const HttpResponse started =
            person()->startEnrollment(issued.value(QStringLiteral("token")).toString());
        QCOMPARE(started.status, 400);
        QCOMPARE(started.errorCode(), QStringLiteral("enrollment_invalid"));
        const Run twice = enroll({QStringLiteral("revoke"), id});
        QCOMPARE(twice.exitCode, 1);
        QCOMPARE(twice.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("not_found"));
        QCOMPARE(scalar(QStringLiteral(
                            "SELECT count(*) FROM auth_events WHERE event = 'enrollment_revoked'"
                            " AND username = 'revokee' AND actor = ?"),
                        {kOperator}),
                 QStringLiteral("1"));
    }

    void aNewerLinkRevokesTheOlderOne()
    {
        person(QStringLiteral("resent"));
        const QJsonObject first = link(QStringLiteral("resent"));
        const QJsonObject second = link(QStringLiteral("resent"));
        QCOMPARE(second.value(QStringLiteral("superseded")).toInt(), 1);
        QCOMPARE(linkState(first.value(QStringLiteral("id")).toString()),
                 QStringLiteral("revoked:superseded"));
        const HttpResponse old =
            person()->startEnrollment(first.value(QStringLiteral("token")).toString());
        QCOMPARE(old.errorCode(), QStringLiteral("enrollment_invalid"));
        const HttpResponse fresh =
            person()->enroll(second.value(QStringLiteral("token")).toString());
        QVERIFY2(fresh.status == 200, qPrintable(fresh.describe()));
    }

    void racingFinishesOnTwoDaemonsHaveOneWinner()
    {
        DaemonProcess second;
        QVERIFY2(second.start(m_db.url(), kNoRateLimit), qPrintable(second.failure()));
        person(QStringLiteral("contested"));
        for (int round = 0; round < 6; ++round) {
            const QString token =
                link(QStringLiteral("contested")).value(QStringLiteral("token")).toString();
            // Two devices start with the same link (two challenges, both bound
            // to it) and finish at the same moment on two replicas.
            PasskeyUser *one = person();
            PasskeyUser *other = person();
            const QJsonObject a = one->create(one->startEnrollment(token).json()).json;
            const QJsonObject b = other->create(other->startEnrollment(token).json()).json;
            const int before = passkeysOf(QStringLiteral("contested"));
            const QStringList replicas{base(), second.baseUrl()};
            const QList<QJsonObject> bodies{a, b};
            const QList<QPair<int, QString>> outcomes = race(
                2, [](int) {},
                [&](int i) {
                    HttpClient client(replicas[i]);
                    const HttpResponse response =
                        client.post(QStringLiteral("/auth/passkey/register/finish"), bodies[i]);
                    return qMakePair(response.status, response.errorCode());
                });
            const auto won = std::count_if(outcomes.begin(), outcomes.end(),
                                           [](const auto &o) { return o.first == 200; });
            const auto lost = std::count_if(outcomes.begin(), outcomes.end(), [](const auto &o) {
                return o.first == 400 && o.second == QLatin1String("enrollment_invalid");
            });
            QVERIFY2(won == 1 && lost == 1, qPrintable(QStringLiteral("round %1: %2 %3 / %4 %5")
                                                           .arg(round)
                                                           .arg(outcomes[0].first)
                                                           .arg(outcomes[0].second)
                                                           .arg(outcomes[1].first)
                                                           .arg(outcomes[1].second)));
            QCOMPARE(passkeysOf(QStringLiteral("contested")), before + 1);
            QCOMPARE(liveSessionsOf(QStringLiteral("contested")), 1);
        }
        QCOMPARE(second.stop(), 0);
    }

    void aDisabledAccountIsRefused()
    {
        person(QStringLiteral("frozen"));
        const QJsonObject issued = link(QStringLiteral("frozen"));
        auto user = store::UserRepository(m_db.database()).findByUsername(QStringLiteral("frozen"));
        QVERIFY(user.ok());
        QVERIFY(store::UserRepository(m_db.database())
                    .setDisabled(user->id, true, store::AuditContext{kOperator, {}, {}})
                    .ok());
        const int challenges = rowCount(QStringLiteral("passkey_challenges"));
        const HttpResponse started =
            person()->startEnrollment(issued.value(QStringLiteral("token")).toString());
        QCOMPARE(started.status, 403);
        QCOMPARE(started.errorCode(), QStringLiteral("user_disabled"));
        QCOMPARE(rowCount(QStringLiteral("passkey_challenges")), challenges);
        QCOMPARE(linkState(issued.value(QStringLiteral("id")).toString()),
                 QStringLiteral("pending"));
        const Run refused = enroll(
            {QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("frozen")});
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(refused.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("user_disabled"));
        QCOMPARE(passkeysOf(QStringLiteral("frozen")), 1);
    }

    void aDelayedLinkWaitsAndTheOwnerCancelsIt()
    {
        PasskeyUser *owner = person(QStringLiteral("careful"));
        PasskeyUser *stranger = person(QStringLiteral("stranger"));
        const QJsonObject issued =
            link(QStringLiteral("careful"), {QStringLiteral("--delay"), QStringLiteral("48h")});
        const QString id = issued.value(QStringLiteral("id")).toString();
        const QString usableAt = issued.value(QStringLiteral("usable_at")).toString();
        QVERIFY(
            QDateTime::fromString(usableAt, Qt::ISODate).secsTo(QDateTime::currentDateTimeUtc()) <
            -47 * 3600);

        // Whoever holds the link must wait, and is told until when.
        const int challenges = rowCount(QStringLiteral("passkey_challenges"));
        const HttpResponse early =
            person()->startEnrollment(issued.value(QStringLiteral("token")).toString());
        QCOMPARE(early.status, 403);
        QCOMPARE(early.errorCode(), QStringLiteral("enrollment_pending"));
        QCOMPARE(early.json().value(QStringLiteral("usable_at")).toString(), usableAt);
        QCOMPARE(rowCount(QStringLiteral("passkey_challenges")), challenges);

        // The owner's session sees it; nobody else's does or can cancel it.
        const QJsonArray seen = owner->get(QStringLiteral("/auth/enrollments"))
                                    .json()
                                    .value(QStringLiteral("enrollments"))
                                    .toArray();
        QCOMPARE(seen.size(), 1);
        const QJsonObject pending = seen.first().toObject();
        QCOMPARE(pending.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(pending.value(QStringLiteral("usable_at")).toString(), usableAt);
        QCOMPARE(pending.value(QStringLiteral("expires_at")).toString(),
                 issued.value(QStringLiteral("expires_at")).toString());
        QCOMPARE(pending.value(QStringLiteral("issued_by")).toString(), kOperator);
        QVERIFY(pending.contains(QStringLiteral("created_at")));
        QVERIFY(!pending.contains(QStringLiteral("token")));
        QCOMPARE(stranger->get(QStringLiteral("/auth/enrollments"))
                     .json()
                     .value(QStringLiteral("enrollments"))
                     .toArray()
                     .size(),
                 0);
        const HttpResponse notTheirs = stranger->del(QStringLiteral("/auth/enrollments/") + id);
        QCOMPARE(notTheirs.status, 404);
        QCOMPARE(linkState(id), QStringLiteral("pending"));
        QCOMPARE(HttpClient(base()).get(QStringLiteral("/auth/enrollments")).status, 401);
        QCOMPARE(owner->del(QStringLiteral("/auth/enrollments/not-a-uuid")).status, 404);

        QCOMPARE(owner->del(QStringLiteral("/auth/enrollments/") + id).status, 204);
        QCOMPARE(linkState(id), QStringLiteral("revoked:owner"));
        QCOMPARE(owner->get(QStringLiteral("/auth/enrollments"))
                     .json()
                     .value(QStringLiteral("enrollments"))
                     .toArray()
                     .size(),
                 0);
        QCOMPARE(owner->del(QStringLiteral("/auth/enrollments/") + id).status, 404);
        QCOMPARE(
            person()->startEnrollment(issued.value(QStringLiteral("token")).toString()).errorCode(),
            QStringLiteral("enrollment_invalid"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT actor FROM auth_events WHERE event = 'enrollment_revoked'"
                                  " AND username = 'careful'")),
            scalar(QStringLiteral("SELECT 'user:' || id FROM users WHERE username = 'careful'")));

        // ENROLLMENT_DELAY is the CLI's default delay.
        const Run delayed = enroll(
            {QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("careful")},
            {{QStringLiteral("ENROLLMENT_DELAY"), QStringLiteral("2h")}});
        QVERIFY2(delayed.exitCode == 0, qPrintable(delayed.describe()));
        QCOMPARE(
            QDateTime::fromString(delayed.json().value(QStringLiteral("created_at")).toString(),
                                  Qt::ISODate)
                .secsTo(QDateTime::fromString(
                    delayed.json().value(QStringLiteral("usable_at")).toString(), Qt::ISODate)),
            2 * 3600);
    }

    void garbageTokensAreInvalidAndChangeNothing()
    {
        const int challenges = rowCount(QStringLiteral("passkey_challenges"));
        const QString unknown = QStringLiteral("de_") + QString(43, QLatin1Char('A'));
        for (const QString &token :
             {QString(), QStringLiteral("de_"), unknown, unknown.left(45),
              unknown + QLatin1Char('A'), QStringLiteral("dk_") + unknown.mid(3),
              QStringLiteral("de_") + QString(43, QLatin1Char('%')),
              QString(5000, QLatin1Char('x')), QStringLiteral("de_\u00e9") + unknown.mid(4)}) {
            const HttpResponse started = person()->startEnrollment(token);
            QCOMPARE(started.status, 400);
            QCOMPARE(started.errorCode(), QStringLiteral("enrollment_invalid"));
        }
        HttpClient client(base());
        for (const QJsonValue &notText :
             {QJsonValue(7), QJsonValue(true), QJsonValue(QJsonArray{}), QJsonValue()}) {
            const HttpResponse started =
                client.post(QStringLiteral("/auth/passkey/register/start"),
                            QJsonObject{{QStringLiteral("enrollment_token"), notText}});
            QCOMPARE(started.status, 400);
            QCOMPARE(started.errorCode(), QStringLiteral("invalid_request"));
        }
        const HttpResponse both =
            client.post(QStringLiteral("/auth/passkey/register/start"),
                        QJsonObject{{QStringLiteral("enrollment_token"), unknown},
                                    {QStringLiteral("username"), QStringLiteral("someone")}});
        QCOMPARE(both.errorCode(), QStringLiteral("invalid_request"));
        QCOMPARE(rowCount(QStringLiteral("passkey_challenges")), challenges);
    }

    void aTokenOfOneAccountDoesNothingInAnothersCeremony()
    {
        PasskeyUser *bob = person(QStringLiteral("bob"));
        PasskeyUser *carol = person(QStringLiteral("carol"));
        const QJsonObject bobsLink = link(QStringLiteral("bob"));
        const QJsonObject carolsLink = link(QStringLiteral("carol"));
        const QString bobsToken = bobsLink.value(QStringLiteral("token")).toString();
        const QString carolsToken = carolsLink.value(QStringLiteral("token")).toString();
        const int links = rowCount(QStringLiteral("enrollments"));

        // A ceremony started with carol's link, finished naming bob's.
        PasskeyUser *device = person();
        QJsonObject response = device->create(device->startEnrollment(carolsToken).json()).json;
        response.insert(QStringLiteral("enrollment_token"), bobsToken);
        const HttpResponse crossed = device->finishRegistration(response);
        QCOMPARE(crossed.status, 400);
        QCOMPARE(crossed.errorCode(), QStringLiteral("enrollment_invalid"));

        // Bob's own add-passkey ceremony (a second key of his), finished naming carol's link.
        PasskeyUser bobsSecondKey(base());
        bobsSecondKey.token = bob->token;
        const HttpResponse started = bobsSecondKey.startAddPasskey();
        QCOMPARE(started.status, 200);
        QJsonObject added = bobsSecondKey.create(started.json()).json;
        added.insert(QStringLiteral("enrollment_token"), carolsToken);
        const HttpResponse smuggled = bobsSecondKey.finishRegistration(added);
        QCOMPARE(smuggled.status, 400);
        QCOMPARE(smuggled.errorCode(), QStringLiteral("enrollment_invalid"));

        // Nothing changed: passkeys, links, sessions.
        QCOMPARE(passkeysOf(QStringLiteral("bob")), 1);
        QCOMPARE(passkeysOf(QStringLiteral("carol")), 1);
        QCOMPARE(linkState(bobsLink.value(QStringLiteral("id")).toString()),
                 QStringLiteral("pending"));
        QCOMPARE(linkState(carolsLink.value(QStringLiteral("id")).toString()),
                 QStringLiteral("pending"));
        QCOMPARE(rowCount(QStringLiteral("enrollments")), links);
        QCOMPARE(bob->get(QStringLiteral("/auth/me")).status, 200);
        QCOMPARE(carol->get(QStringLiteral("/auth/me")).status, 200);

        // Bob's session does not make carol's link his: the link decides the
        // account, and only carol's sessions end.
        const HttpResponse viaBob = bob->http().post(
            QStringLiteral("/auth/passkey/register/start"),
            QJsonObject{{QStringLiteral("enrollment_token"), carolsToken}}, bob->bearer());
        QCOMPARE(viaBob.json()
                     .value(QStringLiteral("user"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("carol"));
        const HttpResponse carolAgain = bob->finishRegistration(bob->create(viaBob.json()).json);
        QVERIFY2(carolAgain.status == 200, qPrintable(carolAgain.describe()));
        QCOMPARE(carolAgain.json()
                     .value(QStringLiteral("actor"))
                     .toObject()
                     .value(QStringLiteral("username"))
                     .toString(),
                 QStringLiteral("carol"));
        QCOMPARE(passkeysOf(QStringLiteral("bob")), 1);
        QCOMPARE(passkeysOf(QStringLiteral("carol")), 2);
        QCOMPARE(carol->get(QStringLiteral("/auth/me")).status, 401);
        QCOMPARE(liveSessionsOf(QStringLiteral("bob")), 1);
    }

    void theCommandLineSaysWhatIsWrong()
    {
        person(QStringLiteral("cli"));
        QCOMPARE(enroll({}).exitCode, 2);
        QCOMPARE(enroll({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(enroll({QStringLiteral("create")}).exitCode, 2);
        for (const QString &ttl :
             {QStringLiteral("8d"), QStringLiteral("1m"), QStringLiteral("soon")})
            QCOMPARE(enroll({QStringLiteral("create"), QStringLiteral("--username"),
                             QStringLiteral("cli"), QStringLiteral("--ttl"), ttl})
                         .exitCode,
                     2);
        QCOMPARE(enroll({QStringLiteral("create"), QStringLiteral("--username"),
                         QStringLiteral("cli"), QStringLiteral("--delay"), QStringLiteral("8d")})
                     .exitCode,
                 2);
        QCOMPARE(
            enroll({QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("cli"),
                    QStringLiteral("--display-name"), QStringLiteral("Only for invites")})
                .exitCode,
            2);
        QCOMPARE(enroll({QStringLiteral("revoke"), QStringLiteral("not-a-uuid")}).exitCode, 2);
        QCOMPARE(
            enroll({QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("cli")},
                   {{QStringLiteral("PUBLIC_URL"), QStringLiteral("ftp://example.org")}})
                .exitCode,
            2);
        const Run nobody = enroll(
            {QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("nobody")});
        QCOMPARE(nobody.exitCode, 1);
        QCOMPARE(nobody.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("not_found"));
        const Run taken = enroll({QStringLiteral("create"), QStringLiteral("--new"),
                                  QStringLiteral("--username"), QStringLiteral("cli")});
        QCOMPARE(taken.exitCode, 1);
        QCOMPARE(taken.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("username_taken"));
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.user_id"
                     " WHERE u.username IN ('cli', 'nobody')")),
                 QStringLiteral("0"));

        const Run published =
            enroll({QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("cli"),
                    QStringLiteral("--ttl"), QStringLiteral("7d")},
                   {{QStringLiteral("PUBLIC_URL"), QStringLiteral("https://id.example.org/app/")}});
        QVERIFY2(published.exitCode == 0, qPrintable(published.describe()));
        QVERIFY(published.json()
                    .value(QStringLiteral("url"))
                    .toString()
                    .startsWith(QStringLiteral("https://id.example.org/app/enroll#token=de_")));
        const Run fromOrigin =
            enroll({QStringLiteral("create"), QStringLiteral("--username"), QStringLiteral("cli")},
                   {{QStringLiteral("ORIGIN"),
                     QStringLiteral("https://app.example.org,https://b.example.org")}});
        QVERIFY(fromOrigin.json()
                    .value(QStringLiteral("url"))
                    .toString()
                    .startsWith(QStringLiteral("https://app.example.org/enroll#token=de_")));
        const Run everyone = enroll({QStringLiteral("list")});
        QCOMPARE(everyone.exitCode, 0);
        QVERIFY(everyone.array().size() >= 1);
        QCOMPARE(
            enroll({QStringLiteral("list"), QStringLiteral("--username"), QStringLiteral("nobody")})
                .exitCode,
            1);
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(EnrollmentLinks)
#include "tst_enrollment_links.moc"
