// The operators' commands against a real database and the real daemon:
// daarion-authd apikey create|list|revoke and membership grant|revoke|list,
// each change with its audit row.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QJsonArray>
#include <QProcess>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion::testing;

namespace {
Headers apiKey(const QString &key) { return {{QByteArrayLiteral("X-API-Key"), key.toLatin1()}}; }
} // namespace

class ActorCli : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
        QString lastLine() const { return out.trimmed().split(QLatin1Char('\n')).constLast().trimmed(); }
        QString describe() const { return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(out, err); }
    };
    Run cli(QStringList arguments, bool withDatabaseEnv = true)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DATABASE_URL"));
        if (withDatabaseEnv)
            env.insert(QStringLiteral("DATABASE_URL"), m_db.url());
        env.insert(QStringLiteral("USER"), QStringLiteral("tester"));
        process.setProcessEnvironment(env);
        process.start(DaemonProcess::binary(), arguments);
        if (!process.waitForFinished(30'000))
            process.kill();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }
    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }
    HttpResponse me(const QString &key) { return HttpClient(m_daemon.baseUrl()).get(QStringLiteral("/auth/me"), apiKey(key)); }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}}),
                 qPrintable(m_daemon.failure()));
    }

    void createPrintsAWorkingKeyLast()
    {
        const Run made = cli({"apikey", "create", "--actor-type", "agent", "--name", "cli-agent", "--microdao",
                              "microdao:7", "--expires-days", "30"});
        QVERIFY2(made.exitCode == 0, qPrintable(made.describe()));
        const QString key = made.lastLine();
        QVERIFY2(key.startsWith(QStringLiteral("dk_")) && key.size() == 46, qPrintable(made.out));
        const HttpResponse agent = me(key);
        QVERIFY2(agent.status == 200, qPrintable(agent.describe()));
        QCOMPARE(agent.json().value(QStringLiteral("actor_id")).toString(),
                 QStringLiteral("agent:7/cli-agent"));
        QCOMPARE(agent.json().value(QStringLiteral("microdao_ids")).toArray(), QJsonArray{QStringLiteral("microdao:7")});
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM api_keys WHERE actor_name = 'cli-agent'"
                                       " AND expires_at BETWEEN now() + interval '29 days' AND now() + interval '31 days'"
                                       " AND created_by_user_id IS NULL")),
                 QStringLiteral("1"));
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT count(*) FROM auth_events WHERE event = 'api_key_created'"
                     " AND actor = 'operator:tester' AND details->>'actor' = 'agent:7/cli-agent'")),
                 QStringLiteral("1"));

        const Run service = cli({"apikey", "create", "--actor-type", "service", "--name", "cli-svc", "--operator", "ops"});
        QVERIFY2(service.exitCode == 0, qPrintable(service.describe()));
        QCOMPARE(me(service.lastLine()).json().value(QStringLiteral("actor_type")).toString(), QStringLiteral("service"));
        QCOMPARE(scalar(QStringLiteral("SELECT actor FROM auth_events WHERE details->>'actor' = 'service:cli-svc'")),
                 QStringLiteral("operator:ops"));
    }

    void createRefusesBadInput()
    {
        for (const QStringList &arguments : QList<QStringList>{
                 {"apikey", "create", "--actor-type", "robot", "--name", "x"},
                 {"apikey", "create", "--actor-type", "agent", "--name", "bad name"},
                 {"apikey", "create", "--actor-type", "agent"},
                 {"apikey", "create", "--actor-type", "agent", "--name", "x", "--microdao", "dao7"},
                 {"apikey", "create", "--actor-type", "service", "--name", "x", "--microdao", "microdao:7"},
                 {"apikey", "create", "--actor-type", "agent", "--name", "x", "--expires-days", "0"},
                 {"apikey", "create", "--actor-type", "agent", "--name", "x", "--expires-days", "soon"},
                 {"apikey", "frobnicate"},
                 {"apikey"},
             }) {
            const Run run = cli(arguments);
            QVERIFY2(run.exitCode == 2, qPrintable(arguments.join(QLatin1Char(' ')) + QLatin1Char('\n') + run.describe()));
        }
        const Run noDatabase = cli({"apikey", "list"}, false);
        QCOMPARE(noDatabase.exitCode, 2);
        QVERIFY(noDatabase.err.contains(QStringLiteral("DATABASE_URL")));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM api_keys WHERE actor_name = 'x'")), QStringLiteral("0"));
    }

    void listShowsEveryKeyWithItsState()
    {
        const Run made = cli({"apikey", "create", "--actor-type", "agent", "--name", "listed", "--microdao", "microdao:list"});
        QCOMPARE(made.exitCode, 0);
        const QString id = scalar(QStringLiteral("SELECT id FROM api_keys WHERE actor_name = 'listed'"));
        Run listed = cli({"apikey", "list"});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.out.startsWith(QStringLiteral("id")));
        const QString line = listed.out.split(QLatin1Char('\n')).filter(id).value(0);
        QVERIFY2(line.contains(QStringLiteral("agent:list/listed")) &&
                     line.contains(QStringLiteral("microdao:list")) &&
                     line.trimmed().endsWith(QStringLiteral("live")),
                 qPrintable(listed.out));
        QVERIFY(!listed.out.contains(made.lastLine())); // never the secret
        const Run only = cli({"apikey", "list", "--microdao", "microdao:list"});
        QCOMPARE(only.out.trimmed().split(QLatin1Char('\n')).size(), qsizetype(2)); // header and the one key
    }

    void revokeStopsTheKey()
    {
        const Run made = cli({"apikey", "create", "--actor-type", "agent", "--name", "doomed"});
        const QString key = made.lastLine();
        QCOMPARE(me(key).status, 200);
        const QString id = scalar(QStringLiteral("SELECT id FROM api_keys WHERE actor_name = 'doomed'"));
        const Run revoked = cli({"apikey", "revoke", id});
        QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.describe()));
        const HttpResponse after = me(key);
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errorCode(), QStringLiteral("unauthenticated"));
        QCOMPARE(cli({"apikey", "revoke", id}).exitCode, 1); // already revoked
        QCOMPARE(cli({"apikey", "revoke", "not-a-uuid"}).exitCode, 2);
        const QString line = cli({"apikey", "list"}).out.split(QLatin1Char('\n')).filter(id).value(0);
        QVERIFY2(line.trimmed().endsWith(QStringLiteral("revoked")), qPrintable(line));
        QVERIFY(cli({"apikey", "list", "--live"}).out.indexOf(id) < 0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'api_key_revoked'"
                                       " AND actor = 'operator:tester' AND details->>'api_key_id' = ?"), {id}),
                 QStringLiteral("1"));
    }

    void membershipGrantAndRevokeAreAudited()
    {
        PasskeyUser carol(m_daemon.baseUrl());
        QCOMPARE(carol.signUp(QStringLiteral("carol")).status, 200);
        const Run granted = cli({"membership", "grant", "--username", "carol", "--microdao", "microdao:7", "--role", "owner"});
        QVERIFY2(granted.exitCode == 0, qPrintable(granted.describe()));
        QCOMPARE(cli({"membership", "grant", "--username", "carol", "--microdao", "microdao:daarion", "--role", "member"}).exitCode, 0);
        const QJsonObject actor = carol.get(QStringLiteral("/auth/me")).json();
        QCOMPARE(actor.value(QStringLiteral("roles")).toArray(),
                 (QJsonArray{QStringLiteral("microdao_owner"), QStringLiteral("member")}));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'membership_granted'"
                                       " AND actor = 'operator:tester' AND username = 'carol'")),
                 QStringLiteral("2"));
        const Run listed = cli({"membership", "list", "--username", "carol"});
        QVERIFY(listed.out.contains(QStringLiteral("microdao:7")) && listed.out.contains(QStringLiteral("owner")));
        QVERIFY(cli({"membership", "list", "--microdao", "microdao:7"}).out.contains(QStringLiteral("carol")));

        const Run revoked = cli({"membership", "revoke", "--username", "carol", "--microdao", "microdao:7"});
        QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.describe()));
        QCOMPARE(carol.get(QStringLiteral("/auth/me")).json().value(QStringLiteral("microdao_ids")).toArray(),
                 QJsonArray{QStringLiteral("microdao:daarion")});
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'membership_revoked'"
                                       " AND actor = 'operator:tester' AND username = 'carol'")),
                 QStringLiteral("1"));
        QCOMPARE(cli({"membership", "revoke", "--username", "carol", "--microdao", "microdao:7"}).exitCode, 1);
        QCOMPARE(cli({"membership", "grant", "--username", "nobody", "--microdao", "microdao:7", "--role", "member"}).exitCode, 1);
        QCOMPARE(cli({"membership", "grant", "--username", "carol", "--microdao", "microdao:7", "--role", "king"}).exitCode, 2);
        QCOMPARE(cli({"membership", "grant", "--username", "carol", "--microdao", "7", "--role", "member"}).exitCode, 2);
        QCOMPARE(cli({"membership", "grant", "--username", "carol"}).exitCode, 2);
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(ActorCli)
#include "tst_actor_cli.moc"
