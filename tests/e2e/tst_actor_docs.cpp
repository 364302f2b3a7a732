// The integrators' documents checked against the real thing:
// - docs/openapi.yaml lists exactly the routes registerAllRoutes serves, and
//   the running daemon answers every documented one (never 404/405);
// - every `sh example` block of docs/INTEGRATION.md runs with bash, curl, jq
//   and openssl against a real daemon and prints what its `# expect:` lines say.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include "server/http/metrics.h"
#include "server/http/rate_limiter.h"
#include "server/routes/routes.h"
#include "shared/config/settings.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <utility>

using namespace daarion;
using namespace daarion::testing;

namespace {

const QString kJwtSecret = QStringLiteral("docs-test-secret-0123456789-0123456789-abc");
const QString kRelatedOrigin = QStringLiteral("https://daarion.app");

QString sourceFile(const QString &relative)
{
    return QDir(qEnvironmentVariable("DAARION_SOURCE_DIR")).filePath(relative);
}

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// "METHOD /path/<arg>" for every operation under `paths:`: a path is a key at
// two spaces, an operation a key at four. {name} becomes <arg>.
QSet<QString> documentedRoutes(const QString &yaml)
{
    static const QRegularExpression pathLine(QStringLiteral("^  (/[^:\\s]*):\\s*$"));
    static const QRegularExpression methodLine(QStringLiteral("^    (get|put|post|delete|patch|head|options):"));
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]+\\}"));
    QSet<QString> routes;
    bool inPaths = false;
    QString path;
    for (const QString &line : yaml.split(QLatin1Char('\n'))) {
        if (!line.isEmpty() && !line.startsWith(QLatin1Char(' ')) && !line.startsWith(QLatin1Char('#'))) {
            inPaths = line.startsWith(QLatin1String("paths:"));
            continue;
        }
        if (!inPaths)
            continue;
        if (const auto match = pathLine.match(line); match.hasMatch()) {
            path = match.captured(1);
            path.replace(parameter, QStringLiteral("<arg>"));
        } else if (const auto method = methodLine.match(line); method.hasMatch() && !path.isEmpty()) {
            routes.insert(method.captured(1).toUpper() + QLatin1Char(' ') + path);
        }
    }
    return routes;
}

struct Example {
    QString name; // "example 3 (line 120)"
    QString script;
    QStringList expectations;
};

QList<Example> examplesOf(const QString &markdown)
{
    QList<Example> examples;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed() != QLatin1String("```sh example"))
            continue;
        Example example;
        example.name = QStringLiteral("example %1 (line %2)").arg(examples.size() + 1).arg(i + 1);
        for (++i; i < lines.size() && lines[i].trimmed() != QLatin1String("```"); ++i) {
            static const QRegularExpression expect(QStringLiteral("^# expect: (.*)$"));
            if (const auto match = expect.match(lines[i]); match.hasMatch())
                example.expectations.append(match.captured(1));
            else
                example.script += lines[i] + QLatin1Char('\n');
        }
        examples.append(example);
    }
    return examples;
}

Headers apiKey(const QString &key) { return {{QByteArrayLiteral("X-API-Key"), key.toLatin1()}}; }

} // namespace

class ActorDocs : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;

    QString cliLastLine(const QStringList &arguments, QString *failure)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DATABASE_URL"), m_db.url());
        process.setProcessEnvironment(env);
        process.start(DaemonProcess::binary(), arguments);
        process.waitForFinished(30'000);
        const QString out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        if (process.exitCode() != 0)
            *failure = QString::fromUtf8(process.readAllStandardError());
        return out.split(QLatin1Char('\n')).constLast().trimmed();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")},
                                             {QStringLiteral("JWT_SECRET"), kJwtSecret},
                                             {QStringLiteral("RELATED_ORIGINS"), kRelatedOrigin}}),
                 qPrintable(m_daemon.failure()));
    }

    void openapiListsExactlyTheServedRoutes()
    {
        const QString yaml = readText(sourceFile(QStringLiteral("docs/openapi.yaml")));
        QVERIFY2(!yaml.isEmpty(), "docs/openapi.yaml is missing (DAARION_SOURCE_DIR set?)");
        const QSet<QString> documented = documentedRoutes(yaml);
        QVERIFY(documented.size() > 10);

        QProcessEnvironment env;
        env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u@localhost/d"));
        env.insert(QStringLiteral("JWT_SECRET"), kJwtSecret);
        // /.well-known/webauthn is served only then.
        env.insert(QStringLiteral("RELATED_ORIGINS"), kRelatedOrigin);
        const config::SettingsOutcome outcome = config::loadSettings(env, {QStringLiteral("daarion-authd")});
        QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
        const store::ConnectionParameters database;
        server::Metrics metrics;
        server::RateLimiter rateLimiter(outcome.settings->rateLimit);
        const server::ServiceContext context{*outcome.settings, database, metrics, rateLimiter, {}};
        server::ApiRouter router;
        QCOMPARE(server::registerAllRoutes(router, context), QString());
        QSet<QString> served;
        for (const server::Route &route : router.routes())
            served.insert(QString::fromLatin1(route.method) + QLatin1Char(' ') + route.pattern);

        const QSet<QString> undocumented = served - documented;
        const QSet<QString> unserved = documented - served;
        QVERIFY2(undocumented.isEmpty(), qPrintable(QStringLiteral("served but not in openapi.yaml: ") +
                                                    QStringList(undocumented.values()).join(QStringLiteral(", "))));
        QVERIFY2(unserved.isEmpty(), qPrintable(QStringLiteral("in openapi.yaml but not served: ") +
                                                QStringList(unserved.values()).join(QStringLiteral(", "))));
    }

    void daemonAnswersEveryDocumentedRoute()
    {
        const QSet<QString> documented = documentedRoutes(readText(sourceFile(QStringLiteral("docs/openapi.yaml"))));
        QVERIFY(!documented.isEmpty());
        HttpClient http(m_daemon.baseUrl());
        for (const QString &route : documented) {
            const qsizetype space = route.indexOf(QLatin1Char(' '));
            QString path = route.mid(space + 1);
            path.replace(QStringLiteral("<arg>"), QStringLiteral("00000000-0000-4000-8000-000000000000"));
            const HttpResponse response =
                http.request(route.left(space).toLatin1(), path, QByteArrayLiteral("{}"),
                             {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}});
            // Nobody is signed in: a route that exists refuses or answers, never "no such path".
            QVERIFY2(response.status != 0 && response.status != 404 && response.status != 405,
                     qPrintable(route + QStringLiteral(" → ") + response.describe()));
        }
        // The control: an undocumented path is 404 from the same client.
        QCOMPARE(http.get(QStringLiteral("/auth/nothing-here")).status, 404);
    }

    void integrationExamplesRun()
    {
        const QString markdown = readText(sourceFile(QStringLiteral("docs/INTEGRATION.md")));
        const QList<Example> examples = examplesOf(markdown);
        QVERIFY2(examples.size() >= 8, qPrintable(QString::number(examples.size())));

        QString failure;
        const QString serviceKey = cliLastLine({QStringLiteral("apikey"), QStringLiteral("create"), QStringLiteral("--actor-type"),
                                                QStringLiteral("service"), QStringLiteral("--name"), QStringLiteral("docs-pep")},
                                               &failure);
        QVERIFY2(failure.isEmpty() && serviceKey.startsWith(QStringLiteral("dk_")), qPrintable(failure));
        PasskeyUser owner(m_daemon.baseUrl());
        QCOMPARE(owner.signUp(QStringLiteral("docsowner")).status, 200);
        PasskeyUser member(m_daemon.baseUrl());
        QCOMPARE(member.signUp(QStringLiteral("docsmember")).status, 200);
        for (const auto &[microdao, role] : {std::pair{QStringLiteral("microdao:7"), QStringLiteral("owner")},
                                             std::pair{QStringLiteral("microdao:daarion"), QStringLiteral("member")}}) {
            cliLastLine({QStringLiteral("membership"), QStringLiteral("grant"), QStringLiteral("--username"),
                         QStringLiteral("docsowner"), QStringLiteral("--microdao"), microdao, QStringLiteral("--role"), role},
                        &failure);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }
        const HttpResponse agent = owner.post(QStringLiteral("/auth/api-keys"),
                                              {{QStringLiteral("name"), QStringLiteral("docs-agent")},
                                               {QStringLiteral("microdao_id"), QStringLiteral("microdao:7")}});
        QVERIFY2(agent.status == 201, qPrintable(agent.describe()));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AUTH"), m_daemon.baseUrl());
        env.insert(QStringLiteral("SERVICE_KEY"), serviceKey);
        env.insert(QStringLiteral("AGENT_KEY"), agent.json().value(QStringLiteral("api_key")).toString());
        env.insert(QStringLiteral("SESSION_TOKEN"), owner.token);
        env.insert(QStringLiteral("MEMBER"), QStringLiteral("docsmember"));
        env.insert(QStringLiteral("JWT_SECRET"), kJwtSecret);
        for (const Example &example : examples) {
            QVERIFY2(!example.expectations.isEmpty(), qPrintable(example.name + QStringLiteral(" expects nothing")));
            QProcess bash;
            bash.setProcessEnvironment(env);
            bash.start(QStringLiteral("bash"), {QStringLiteral("-euo"), QStringLiteral("pipefail"), QStringLiteral("-c"),
                                                example.script});
            QVERIFY2(bash.waitForFinished(60'000), qPrintable(example.name + QStringLiteral(" timed out")));
            const QString out = QString::fromUtf8(bash.readAllStandardOutput());
            const QString err = QString::fromUtf8(bash.readAllStandardError());
            const QString report = example.name + QStringLiteral("\n--- script\n") + example.script +
                                   QStringLiteral("--- stdout\n") + out + QStringLiteral("--- stderr\n") + err;
            QVERIFY2(bash.exitStatus() == QProcess::NormalExit && bash.exitCode() == 0, qPrintable(report));
            for (const QString &expected : example.expectations)
                QVERIFY2(out.contains(expected), qPrintable(QStringLiteral("missing '") + expected + QStringLiteral("' in ") + report));
        }
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(ActorDocs)
#include "tst_actor_docs.moc"
