// Agents and their keys end to end (issue 11, findings 1 and 2): a
// microDAO's agents are named within it, so no admin can mint the identity
// of a platform agent or of another team's; a key a person made works only
// while that person still runs its microDAO and is not disabled, checked at
// every use; keys expire after API_KEY_TTL unless an operator says otherwise.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion::testing;

namespace
{
Headers apiKey(const QString &key)
{
    return {{"X-API-Key", key.toLatin1()}};
}
Headers json()
{
    return {{"Content-Type", "application/json"}};
}
// A string member of an object member of the answer ("key", "actor_id").
QString member(const HttpResponse &response, const char *object, const char *name)
{
    return response.json()
        .value(QLatin1String(object))
        .toObject()
        .value(QLatin1String(name))
        .toString();
}
} // namespace

class AgentKeys : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;
    QString m_serviceKey; // the microDAO service, which writes memberships
    std::unique_ptr<PasskeyUser> m_owner7, m_owner8;
    QString m_owner7Name;

    QString base() const { return m_daemon.baseUrl(); }

    DaemonProcess::CommandRun cli(const QStringList &arguments, QMap<QString, QString> env = {})
    {
        env.insert("DATABASE_URL", m_db.url());
        env.insert("USER", "tester");
        return DaemonProcess::runCommand(env, arguments);
    }
    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }
    std::unique_ptr<PasskeyUser> person(const QString &prefix, QString *name = nullptr)
    {
        static int counter = 0;
        auto user = std::make_unique<PasskeyUser>(base());
        const QString username = prefix + QString::number(++counter);
        const HttpResponse signedUp = user->signUp(username);
        if (signedUp.status != 200)
            qWarning() << "sign-up failed:" << signedUp.describe();
        user->http().clearCookies();
        if (name)
            *name = username;
        return user;
    }
    int setRole(const QString &microdao, const QString &username, const QString &role)
    {
        HttpClient http(base());
        const QString path = QStringLiteral("/internal/memberships/%1/%2").arg(microdao, username);
        if (role.isEmpty())
            return http.del(path, apiKey(m_serviceKey)).status;
        return http
            .request("PUT", path, QJsonDocument(QJsonObject{{"role", role}}).toJson(),
                     apiKey(m_serviceKey) + json())
            .status;
    }
    HttpResponse me(const QString &key) { return HttpClient(base()).get("/auth/me", apiKey(key)); }
    bool introspectsActive(const QString &key)
    {
        return HttpClient(base())
            .post("/auth/introspect", {{"token", key}}, apiKey(m_serviceKey))
            .json()
            .value("active")
            .toBool();
    }
    // POST /auth/api-keys as `owner`; the whole answer.
    HttpResponse mint(PasskeyUser &owner, const QString &name, const QString &microdao,
                      const QJsonValue &expiresDays = QJsonValue::Undefined)
    {
        QJsonObject body{{"name", name}, {"microdao_id", microdao}};
        if (!expiresDays.isUndefined())
            body.insert("expires_days", expiresDays);
        return owner.post("/auth/api-keys", body);
    }
    QString mintedKey(PasskeyUser &owner, const QString &name, const QString &microdao)
    {
        const HttpResponse minted = mint(owner, name, microdao);
        if (minted.status != 201)
            qWarning() << "minting" << name << "failed:" << minted.describe();
        return minted.json().value("api_key").toString();
    }
    // Days from now until an RFC 3339 time, rounded.
    static qint64 daysUntil(const QString &time)
    {
        const QDateTime at = QDateTime::fromString(time, Qt::ISODate);
        return at.isValid() ? qRound64(QDateTime::currentDateTimeUtc().secsTo(at) / 86400.0) : -1;
    }
    QString stateInCliList(const QString &keyText)
    {
        const QString id =
            scalar("SELECT id FROM api_keys WHERE key_hash = sha256(?::text::bytea)", {keyText});
        const QString line = cli({"apikey", "list"}).out.split('\n').filter(id).value(0);
        const QStringList columns = line.split(' ', Qt::SkipEmptyParts);
        return columns.isEmpty() ? QStringLiteral("<not listed>") : columns.constLast();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{"RATE_LIMIT", "off"}}),
                 qPrintable(m_daemon.failure()));
        const auto made =
            cli({"apikey", "create", "--actor-type", "service", "--name", "microdao-service"});
        QVERIFY2(made.exitCode == 0, qPrintable(made.describe()));
        m_serviceKey = made.lastLine();
        m_owner7 = person("owner-seven", &m_owner7Name);
        QString owner8Name;
        m_owner8 = person("owner-eight", &owner8Name);
        QCOMPARE(setRole("microdao:7", m_owner7Name, "owner"), 200);
        QCOMPARE(setRole("microdao:8", owner8Name, "owner"), 200);
    }

    void agentsAreNamedWithinTheirMicrodao()
    {
        // The same name in two microDAOs and on the platform: three actors.
        const HttpResponse minted7 = mint(*m_owner7, "router", "microdao:7");
        QVERIFY2(minted7.status == 201, qPrintable(minted7.describe()));
        QCOMPARE(member(minted7, "key", "actor_id"), QStringLiteral("agent:7/router"));
        QCOMPARE(member(minted7, "key", "name"), QStringLiteral("router"));
        const QString key7 = minted7.json().value("api_key").toString();
        const QString key8 = mintedKey(*m_owner8, "router", "microdao:8");
        const auto platform =
            cli({"apikey", "create", "--actor-type", "agent", "--name", "router"});
        QVERIFY2(platform.exitCode == 0, qPrintable(platform.describe()));
        QVERIFY(platform.out.contains("actor:    agent:router\n"));
        const auto daarion = cli({"apikey", "create", "--actor-type", "agent", "--name", "router",
                                  "--microdao", "microdao:daarion"});
        QVERIFY2(daarion.exitCode == 0, qPrintable(daarion.describe()));

        const QList<QPair<QString, QString>> expected = {
            {key7, "agent:7/router"},
            {key8, "agent:8/router"},
            {platform.lastLine(), "agent:router"},
            {daarion.lastLine(), "agent:daarion/router"}};
        for (const auto &[key, actorId] : expected) {
            const HttpResponse agent = me(key);
            QVERIFY2(agent.status == 200, qPrintable(agent.describe()));
            QCOMPARE(agent.json().value("actor_id").toString(), actorId);
            QCOMPARE(agent.json().value("actor_type").toString(), QStringLiteral("agent"));
            // The PEP sees the same actor.
            const HttpResponse looked =
                HttpClient(base()).post("/auth/introspect", {{"token", key}}, apiKey(m_serviceKey));
            QCOMPARE(member(looked, "actor", "actor_id"), actorId);
        }
        QCOMPARE(me(key7).json().value("microdao_ids").toArray(), QJsonArray{"microdao:7"});
        QCOMPARE(me(key8).json().value("microdao_ids").toArray(), QJsonArray{"microdao:8"});
        QCOMPARE(me(platform.lastLine()).json().value("memberships").toArray(), QJsonArray());
        // The audit trail names each one apart.
        QCOMPARE(scalar("SELECT count(DISTINCT details->>'actor') FROM auth_events WHERE event = "
                        "'api_key_created'"
                        " AND details->>'actor' LIKE 'agent:%router'"),
                 QStringLiteral("4"));
        // The lists show the full identity.
        QVERIFY(m_owner7->get("/auth/api-keys").body.contains("\"agent:7/router\""));
        QVERIFY(cli({"apikey", "list", "--microdao", "microdao:8"}).out.contains("agent:8/router"));
        // A name cannot smuggle in a microDAO of its own.
        const HttpResponse smuggled = mint(*m_owner7, "8/router", "microdao:7");
        QCOMPARE(smuggled.status, 400);
        QCOMPARE(smuggled.errorCode(), QStringLiteral("invalid_request"));
    }

    void aPersonsKeyWorksOnlyWhileTheyRunItsMicrodao()
    {
        QString adminName;
        auto admin = person("admin", &adminName);
        QCOMPARE(setRole("microdao:7", adminName, "admin"), 200);
        const QString key = mintedKey(*admin, "worker", "microdao:7");
        const auto operatorMade = cli({"apikey", "create", "--actor-type", "agent", "--name",
                                       "janitor", "--microdao", "microdao:7"});
        QVERIFY2(operatorMade.exitCode == 0, qPrintable(operatorMade.describe()));
        QCOMPARE(me(key).status, 200);
        QCOMPARE(stateInCliList(key), QStringLiteral("live"));

        // Demoted to member: the key stops at its next use, everywhere.
        QCOMPARE(setRole("microdao:7", adminName, "member"), 200);
        const HttpResponse refused = me(key);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("unauthenticated"));
        QVERIFY(!introspectsActive(key));
        QCOMPARE(stateInCliList(key), QStringLiteral("suspended"));
        // An operator's key answers to no person.
        QCOMPARE(me(operatorMade.lastLine()).status, 200);

        // The check is made at each use: given the role back, the key works again.
        QCOMPARE(setRole("microdao:7", adminName, "owner"), 200);
        QCOMPARE(me(key).status, 200);
        QVERIFY(introspectsActive(key));

        // Out of the microDAO altogether.
        QCOMPARE(setRole("microdao:7", adminName, ""), 204);
        QCOMPARE(me(key).status, 401);
        QCOMPARE(setRole("microdao:7", adminName, "admin"), 200);
        QCOMPARE(me(key).status, 200);

        // A disabled person's keys stop as their sessions do.
        QCOMPARE(
            m_db.exec(QStringLiteral("UPDATE users SET disabled_at = now() WHERE username = '%1'")
                          .arg(adminName)),
            QString());
        QCOMPARE(me(key).status, 401);
        QVERIFY(!introspectsActive(key));
        QCOMPARE(stateInCliList(key), QStringLiteral("suspended"));
        QCOMPARE(
            m_db.exec(QStringLiteral("UPDATE users SET disabled_at = NULL WHERE username = '%1'")
                          .arg(adminName)),
            QString());
        QCOMPARE(me(key).status, 200);

        // Its owner's other microDAO does not count.
        QCOMPARE(setRole("microdao:7", adminName, "member"), 200);
        QCOMPARE(setRole("microdao:8", adminName, "owner"), 200);
        QCOMPARE(me(key).status, 401);
    }

    void agentKeysExpireByDefault()
    {
        const HttpResponse plain = mint(*m_owner7, "default-ttl", "microdao:7");
        QVERIFY2(plain.status == 201, qPrintable(plain.describe()));
        QCOMPARE(daysUntil(member(plain, "key", "expires_at")), qint64(90));
        const HttpResponse null = mint(*m_owner7, "null-ttl", "microdao:7", QJsonValue::Null);
        QVERIFY2(null.status == 201, qPrintable(null.describe()));
        QCOMPARE(daysUntil(member(null, "key", "expires_at")), qint64(90));
        const HttpResponse shorter = mint(*m_owner7, "short-ttl", "microdao:7", 30);
        QCOMPARE(daysUntil(member(shorter, "key", "expires_at")), qint64(30));
        // The service reports when it ends.
        const QString exp =
            HttpClient(base())
                .post("/auth/introspect", {{"token", plain.json().value("api_key").toString()}},
                      apiKey(m_serviceKey))
                .json()
                .value("exp")
                .toString();
        QCOMPARE(daysUntil(exp), qint64(90));
        // API_KEY_TTL is also the longest a person may ask for.
        const HttpResponse longer = mint(*m_owner7, "long-ttl", "microdao:7", 91);
        QCOMPARE(longer.status, 400);
        QCOMPARE(longer.errorCode(), QStringLiteral("invalid_request"));
        QVERIFY2(longer.json().value("message").toString().contains("90"), longer.body.constData());

        // Another API_KEY_TTL.
        DaemonProcess weekly;
        QVERIFY2(weekly.start(
                     m_db.url(),
                     {{"RATE_LIMIT", "off"}, {"MIGRATE_ON_START", "false"}, {"API_KEY_TTL", "7d"}}),
                 qPrintable(weekly.failure()));
        HttpClient http(weekly.baseUrl());
        const HttpResponse week =
            http.post("/auth/api-keys", {{"name", "weekly"}, {"microdao_id", "microdao:7"}},
                      m_owner7->bearer());
        QVERIFY2(week.status == 201, qPrintable(week.describe()));
        QCOMPARE(daysUntil(member(week, "key", "expires_at")), qint64(7));
        QCOMPARE(http.post("/auth/api-keys",
                           {{"name", "eight"}, {"microdao_id", "microdao:7"}, {"expires_days", 8}},
                           m_owner7->bearer())
                     .status,
                 400);
        QCOMPARE(weekly.stop(), 0);
    }

    void operatorsChooseWhetherTheirKeysExpire()
    {
        const auto agent =
            cli({"apikey", "create", "--actor-type", "agent", "--name", "op-default"});
        QVERIFY2(agent.exitCode == 0, qPrintable(agent.describe()));
        QCOMPARE(scalar("SELECT round(extract(epoch FROM expires_at - now()) / 86400) FROM api_keys"
                        " WHERE actor_name = 'op-default'"),
                 QStringLiteral("90"));
        const auto ttl = cli({"apikey", "create", "--actor-type", "agent", "--name", "op-ttl"},
                             {{"API_KEY_TTL", "10d"}});
        QVERIFY2(ttl.exitCode == 0, qPrintable(ttl.describe()));
        QCOMPARE(scalar("SELECT round(extract(epoch FROM expires_at - now()) / 86400) FROM api_keys"
                        " WHERE actor_name = 'op-ttl'"),
                 QStringLiteral("10"));
        const auto endless = cli(
            {"apikey", "create", "--actor-type", "agent", "--name", "op-forever", "--no-expiry"});
        QVERIFY2(endless.exitCode == 0, qPrintable(endless.describe()));
        QVERIFY(endless.out.contains("expires:  never"));
        QCOMPARE(scalar("SELECT expires_at IS NULL FROM api_keys WHERE actor_name = 'op-forever'"),
                 QStringLiteral("true"));
        const auto longer = cli({"apikey", "create", "--actor-type", "agent", "--name", "op-long",
                                 "--expires-days", "365"});
        QVERIFY2(longer.exitCode == 0,
                 qPrintable(longer.describe())); // an operator is not bound by API_KEY_TTL
        // Services are infrastructure: they do not expire unless asked to.
        const auto service =
            cli({"apikey", "create", "--actor-type", "service", "--name", "op-service"});
        QVERIFY2(service.exitCode == 0, qPrintable(service.describe()));
        QCOMPARE(scalar("SELECT expires_at IS NULL FROM api_keys WHERE actor_name = 'op-service'"),
                 QStringLiteral("true"));

        QCOMPARE(cli({"apikey", "create", "--actor-type", "agent", "--name", "both", "--no-expiry",
                      "--expires-days", "3"})
                     .exitCode,
                 2);
        QCOMPARE(cli({"apikey", "create", "--actor-type", "agent", "--name", "bad-ttl"},
                     {{"API_KEY_TTL", "soon"}})
                     .exitCode,
                 2);
        QCOMPARE(scalar("SELECT count(*) FROM api_keys WHERE actor_name IN ('both', 'bad-ttl')"),
                 QStringLiteral("0"));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(AgentKeys)
#include "tst_agent_keys.moc"
