// The person's own view of their account over real HTTP: GET /auth/activity
// (their security events, newest first, a page at a time, never another
// account's rows however the request is bent), PATCH /auth/me, and passkey
// hygiene — deleting or disabling a passkey ends the sessions it signed in.

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include "shared/store/passkey_repository.h"

#include <QJsonArray>
#include <QSet>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion;
using namespace daarion::testing;

namespace
{
const QMap<QString, QString> kNoRateLimit{{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}};

QJsonArray eventsOf(const HttpResponse &response)
{
    return response.json().value(QStringLiteral("events")).toArray();
}

QStringList namesOf(const QJsonArray &events)
{
    QStringList names;
    for (const QJsonValue &event : events)
        names << event.toObject().value(QStringLiteral("event")).toString();
    return names;
}
} // namespace

class AccountActivity : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;
    std::vector<std::unique_ptr<PasskeyUser>> m_people;

    QString base() const { return m_daemon.baseUrl(); }

    PasskeyUser *person(const QString &username)
    {
        m_people.push_back(std::make_unique<PasskeyUser>(base()));
        PasskeyUser *user = m_people.back().get();
        const HttpResponse signedUp = user->signUp(username);
        if (signedUp.status != 200)
            qWarning().noquote() << "sign-up of" << username << "failed:" << signedUp.describe();
        user->http().clearCookies();
        return user;
    }

    // A second device of the same person: the same authenticator's
    // credentials, its own session.
    std::unique_ptr<PasskeyUser> sameAuthenticator(PasskeyUser &user, const QString &username)
    {
        auto device = std::make_unique<PasskeyUser>(base());
        for (const SoftCredential &credential : user.authenticator().credentials())
            device->authenticator().addCredential(credential);
        const HttpResponse signedIn = device->signIn(username);
        if (signedIn.status != 200)
            qWarning().noquote() << "sign-in failed:" << signedIn.describe();
        device->http().clearCookies();
        return device;
    }

    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), kNoRateLimit), qPrintable(m_daemon.failure()));
    }

    void activityListsTheCallersEventsNewestFirst()
    {
        PasskeyUser *ann = person(QStringLiteral("ann"));
        // A failed sign-in (a signature over other bytes), a sign-in, a rename, a token rotation.
        const HttpResponse started = ann->startSignIn(QStringLiteral("ann"));
        SoftTweaks forged;
        forged.signature = [](QByteArray &signature) { signature[signature.size() - 3] ^= 0x01; };
        const HttpResponse failed = ann->finishSignIn(ann->assert_(started.json(), forged).json);
        QCOMPARE(failed.errorCode(), QStringLiteral("signature_invalid"));
        QCOMPARE(ann->signIn(QStringLiteral("ann")).status, 200);
        const QString passkeyId = ann->get(QStringLiteral("/auth/passkeys"))
                                      .json()
                                      .value(QStringLiteral("passkeys"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("id"))
                                      .toString();
        QCOMPARE(ann->patch(QStringLiteral("/auth/passkeys/") + passkeyId,
                            QJsonObject{{QStringLiteral("device_name"), QStringLiteral("Laptop")}})
                     .status,
                 200);
        const HttpResponse refreshed = ann->post(QStringLiteral("/auth/session/refresh"));
        QCOMPARE(refreshed.status, 200);
        ann->token = refreshed.json().value(QStringLiteral("session_token")).toString();

        const HttpResponse page = ann->get(QStringLiteral("/auth/activity"));
        QVERIFY2(page.status == 200, qPrintable(page.describe()));
        const QJsonArray events = eventsOf(page);
        // Rotations are not security events; the rest, newest first.
        QCOMPARE(namesOf(events),
                 (QStringList{QStringLiteral("passkey_renamed"), QStringLiteral("login_success"),
                              QStringLiteral("login_failure"), QStringLiteral("registration")}));
        QVERIFY(page.json().value(QStringLiteral("next_before")).isNull());
        const QJsonObject failure = events.at(2).toObject();
        QCOMPARE(failure.value(QStringLiteral("detail"))
                     .toObject()
                     .value(QStringLiteral("error_code"))
                     .toString(),
                 QStringLiteral("signature_invalid"));
        QCOMPARE(failure.value(QStringLiteral("credential_id")).toString(),
                 ann->authenticator().credentials().constFirst().idBase64Url());
        const QJsonObject newest = events.first().toObject();
        QVERIFY(newest.value(QStringLiteral("id")).isDouble());
        QVERIFY(QDateTime::fromString(newest.value(QStringLiteral("at")).toString(), Qt::ISODate)
                    .isValid());
        QCOMPARE(newest.value(QStringLiteral("client_ip")).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(newest.contains(QStringLiteral("user_agent")));
        QCOMPARE(newest.value(QStringLiteral("detail"))
                     .toObject()
                     .value(QStringLiteral("device_name"))
                     .toString(),
                 QStringLiteral("Laptop"));

        // A page at a time: limit and before.
        const HttpResponse first = ann->get(QStringLiteral("/auth/activity?limit=3"));
        QCOMPARE(eventsOf(first).size(), 3);
        const QJsonValue next = first.json().value(QStringLiteral("next_before"));
        QCOMPARE(next.toInteger(),
                 eventsOf(first).last().toObject().value(QStringLiteral("id")).toInteger());
        const HttpResponse rest =
            ann->get(QStringLiteral("/auth/activity?limit=3&before=%1").arg(next.toInteger()));
        QCOMPARE(namesOf(eventsOf(rest)), QStringList{QStringLiteral("registration")});
        QVERIFY(rest.json().value(QStringLiteral("next_before")).isNull());
    }

    void activityNeverShowsAnotherAccountsRows()
    {
        PasskeyUser *eve = person(QStringLiteral("eve"));
        PasskeyUser *victim = person(QStringLiteral("victim"));
        QCOMPARE(victim->signIn(QStringLiteral("victim")).status, 200);
        const QString victimId =
            scalar(QStringLiteral("SELECT id FROM users WHERE username = 'victim'"));
        const qint64 newestOfVictim =
            scalar(QStringLiteral("SELECT max(id) FROM auth_events WHERE user_id = ?::uuid"),
                   {victimId})
                .toLongLong();
        const QSet<QString> eveIds = [&] {
            QSet<QString> ids;
            for (const QString &id :
                 scalar(QStringLiteral(
                            "SELECT string_agg(e.id::text, ',') FROM auth_events e JOIN users u"
                            " ON u.id = e.user_id WHERE u.username = ?"),
                        {QStringLiteral("eve")})
                     .split(QLatin1Char(',')))
                ids.insert(id);
            return ids;
        }();

        // Whatever the request names, the rows are the caller's.
        for (const QString &path :
             {QStringLiteral("/auth/activity"),
              QStringLiteral("/auth/activity?user_id=") + victimId,
              QStringLiteral("/auth/activity?username=victim"),
              QStringLiteral("/auth/activity?before=%1").arg(newestOfVictim + 1),
              QStringLiteral("/auth/activity?limit=100&before=%1")
                  .arg(std::numeric_limits<qint64>::max())}) {
            const HttpResponse page = eve->get(path);
            QVERIFY2(page.status == 200, qPrintable(path + QLatin1Char(' ') + page.describe()));
            for (const QJsonValue &event : eventsOf(page)) {
                const QString id =
                    QString::number(event.toObject().value(QStringLiteral("id")).toInteger());
                QVERIFY2(eveIds.contains(id), qPrintable(path + QStringLiteral(": event ") + id +
                                                         QStringLiteral(" is not eve's")));
            }
            QVERIFY(!page.body.contains("victim"));
        }
        // Nobody, an API key, bad paging: refused.
        QCOMPARE(HttpClient(base()).get(QStringLiteral("/auth/activity")).status, 401);
        for (const QString &query :
             {QStringLiteral("limit=0"), QStringLiteral("limit=101"), QStringLiteral("limit=x"),
              QStringLiteral("before=-1"), QStringLiteral("before=0"), QStringLiteral("before=1e3"),
              QStringLiteral("limit=")}) {
            const HttpResponse refused = eve->get(QStringLiteral("/auth/activity?") + query);
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        }
    }

    void patchMeChangesTheDisplayName()
    {
        PasskeyUser *rae = person(QStringLiteral("rae"));
        const HttpResponse renamed = rae->patch(
            QStringLiteral("/auth/me"),
            QJsonObject{{QStringLiteral("display_name"), QStringLiteral("  Rae Sremmurd ")}});
        QVERIFY2(renamed.status == 200, qPrintable(renamed.describe()));
        QCOMPARE(renamed.json().value(QStringLiteral("display_name")).toString(),
                 QStringLiteral("Rae Sremmurd"));
        QCOMPARE(renamed.json().value(QStringLiteral("username")).toString(),
                 QStringLiteral("rae"));
        QCOMPARE(renamed.json().value(QStringLiteral("actor_type")).toString(),
                 QStringLiteral("human"));
        QCOMPARE(rae->get(QStringLiteral("/auth/me"))
                     .json()
                     .value(QStringLiteral("display_name"))
                     .toString(),
                 QStringLiteral("Rae Sremmurd"));
        QCOMPARE(namesOf(eventsOf(rae->get(QStringLiteral("/auth/activity?limit=1")))),
                 QStringList{QStringLiteral("display_name_changed")});

        for (const QJsonObject &body :
             {QJsonObject{}, QJsonObject{{QStringLiteral("display_name"), QStringLiteral("   ")}},
              QJsonObject{{QStringLiteral("display_name"), QString(65, QLatin1Char('r'))}},
              QJsonObject{{QStringLiteral("display_name"), 42}},
              QJsonObject{{QStringLiteral("display_name"), QStringLiteral("bell\u0007")}}}) {
            const HttpResponse refused = rae->patch(QStringLiteral("/auth/me"), body);
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        }
        QCOMPARE(rae->get(QStringLiteral("/auth/me"))
                     .json()
                     .value(QStringLiteral("display_name"))
                     .toString(),
                 QStringLiteral("Rae Sremmurd"));
        QCOMPARE(HttpClient(base())
                     .patch(QStringLiteral("/auth/me"),
                            QJsonObject{{QStringLiteral("display_name"), QStringLiteral("x")}})
                     .status,
                 401);
    }

    void deletingAPasskeyEndsTheSessionsItSignedIn()
    {
        PasskeyUser *sam = person(QStringLiteral("sam"));
        // A second authenticator, and a session signed in with it.
        PasskeyUser key2(base());
        {
            const HttpResponse started = sam->startAddPasskey();
            const SoftRegistration registration = key2.create(started.json());
            QCOMPARE(sam->finishRegistration(registration.json).status, 200);
        }
        QCOMPARE(key2.signIn(QStringLiteral("sam")).status, 200);
        key2.http().clearCookies();
        // And another session with the first one.
        auto laptop = sameAuthenticator(*sam, QStringLiteral("sam"));
        QCOMPARE(laptop->get(QStringLiteral("/auth/me")).status, 200);

        const QString secondId =
            scalar(QStringLiteral("SELECT p.id FROM passkeys p JOIN users u ON u.id = p.user_id "
                                  "WHERE u.username = 'sam'"
                                  " AND p.credential_id = ?"),
                   {key2.authenticator().credentials().constFirst().idBase64Url()});
        // Removed from a session of the first passkey: the second's session ends, the others stay.
        QCOMPARE(laptop->del(QStringLiteral("/auth/passkeys/") + secondId).status, 204);
        QCOMPARE(key2.get(QStringLiteral("/auth/me")).status, 401);
        QCOMPARE(laptop->get(QStringLiteral("/auth/me")).status, 200);
        QCOMPARE(sam->get(QStringLiteral("/auth/me")).status, 200);
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT count(*) FROM sessions WHERE revoke_reason = 'passkey_deleted'")),
                 QStringLiteral("1"));
        QCOMPARE(namesOf(eventsOf(sam->get(QStringLiteral("/auth/activity?limit=1")))),
                 QStringList{QStringLiteral("passkey_deleted")});
    }

    void disablingAPasskeyEndsTheSessionsItSignedIn()
    {
        PasskeyUser *tia = person(QStringLiteral("tia"));
        PasskeyUser spare(base());
        {
            const HttpResponse started = tia->startAddPasskey();
            QCOMPARE(tia->finishRegistration(spare.create(started.json()).json).status, 200);
        }
        QCOMPARE(spare.signIn(QStringLiteral("tia")).status, 200);
        spare.http().clearCookies();
        const QString firstId =
            scalar(QStringLiteral("SELECT p.id FROM passkeys p JOIN users u ON u.id = p.user_id "
                                  "WHERE u.username = 'tia'"
                                  " AND p.credential_id = ?"),
                   {tia->authenticator().credentials().constFirst().idBase64Url()});
        // An operator disables the first passkey (as the console does, through the store).
        auto disabled =
            store::PasskeyRepository(m_db.database())
                .setDisabled(QUuid::fromString(firstId), true,
                             store::AuditContext{QStringLiteral("operator:kate"), {}, {}});
        QVERIFY(disabled.ok());
        QCOMPARE(tia->get(QStringLiteral("/auth/me")).status, 401);
        QCOMPARE(spare.get(QStringLiteral("/auth/me")).status, 200);
        const QJsonObject event =
            eventsOf(spare.get(QStringLiteral("/auth/activity?limit=1"))).first().toObject();
        QCOMPARE(event.value(QStringLiteral("event")).toString(),
                 QStringLiteral("passkey_disabled"));
        QCOMPARE(event.value(QStringLiteral("detail"))
                     .toObject()
                     .value(QStringLiteral("actor"))
                     .toString(),
                 QStringLiteral("operator:kate"));
        QCOMPARE(event.value(QStringLiteral("detail"))
                     .toObject()
                     .value(QStringLiteral("sessions_revoked"))
                     .toInt(),
                 1);
    }

    void deletingThePasskeyOfThisSessionEndsThisSessionToo()
    {
        PasskeyUser *uma = person(QStringLiteral("uma"));
        PasskeyUser spare(base());
        spare.token = uma->token; // another key, added from this session
        QCOMPARE(spare.finishRegistration(spare.create(spare.startAddPasskey().json()).json).status,
                 200);
        const QString currentId =
            scalar(QStringLiteral("SELECT s.passkey_id FROM sessions s JOIN users u ON u.id = "
                                  "s.user_id WHERE u.username = 'uma'"
                                  " AND s.revoked_at IS NULL"));
        QCOMPARE(uma->del(QStringLiteral("/auth/passkeys/") + currentId).status, 204);
        const HttpResponse after = uma->get(QStringLiteral("/auth/me"));
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errorCode(), QStringLiteral("invalid_session"));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(AccountActivity)
#include "tst_account_activity.moc"
