// daarion-auth-bench: full passkey sign-ins (start + finish) per second and
// GET /auth/me per second against the real daemon on a private PostgreSQL,
// over many keep-alive connections to 127.0.0.1 only, with p50/p99 latency,
// the CPU time per 1,000 operations of the daemon and of the PostgreSQL
// backends serving it, and the daemon's resident memory with
// 256 open connections. Run it through bench/run; no test asserts timings.

#include "bench/load_connection.h"
#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <unistd.h>

using namespace daarion::testing;
using daarion::bench::LoadConnection;
using daarion::bench::LoadResponse;

namespace {

struct Account {
    QString username;
    QString token;
    std::shared_ptr<SoftAuthenticator> authenticator; // holds the account's credential
};

// utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15).
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / ticks;
}

struct PhaseResult {
    QString name;
    qint64 operations = 0;
    qint64 failures = 0;
    double seconds = 0;
    double daemonCpuSeconds = 0;
    double databaseCpuSeconds = 0; // the PostgreSQL backends serving the daemon
    std::vector<qint64> latenciesNs;

    double percentileMs(double p)
    {
        if (latenciesNs.empty())
            return 0;
        std::sort(latenciesNs.begin(), latenciesNs.end());
        const size_t index = std::min(latenciesNs.size() - 1, size_t(p * double(latenciesNs.size())));
        return double(latenciesNs[index]) / 1e6;
    }
};

// Runs `connections` loops of `operation` for `seconds`; an operation calls
// done(ok) when it has finished (it may take several requests).
using Operation = std::function<void(LoadConnection &, int slot, std::function<void(bool)> done)>;

PhaseResult runPhase(const QString &name, quint16 port, qint64 daemonPid,
                     const std::function<double()> &databaseCpu, int connections, int seconds,
                     const Operation &operation)
{
    PhaseResult result;
    result.name = name;
    std::vector<std::unique_ptr<LoadConnection>> pool;
    for (int i = 0; i < connections; ++i)
        pool.push_back(std::make_unique<LoadConnection>(port));

    QEventLoop loop;
    QElapsedTimer wall;
    bool running = true;
    int inFlight = 0;
    const double cpuBefore = cpuSeconds(daemonPid);
    const double databaseCpuBefore = databaseCpu();
    wall.start();

    std::function<void(int)> next = [&](int slot) {
        if (!running) {
            if (--inFlight == 0)
                loop.quit();
            return;
        }
        auto started = std::make_shared<QElapsedTimer>();
        started->start();
        operation(*pool[size_t(slot)], slot, [&, slot, started](bool ok) {
            if (ok) {
                ++result.operations;
                result.latenciesNs.push_back(started->nsecsElapsed());
            } else {
                ++result.failures;
            }
            next(slot);
        });
    };
    for (int slot = 0; slot < connections; ++slot) {
        ++inFlight;
        next(slot);
    }
    QTimer::singleShot(seconds * 1000, &loop, [&] {
        running = false;
        result.seconds = double(wall.nsecsElapsed()) / 1e9;
    });
    loop.exec();
    result.daemonCpuSeconds = cpuSeconds(daemonPid) - cpuBefore;
    result.databaseCpuSeconds = databaseCpu() - databaseCpuBefore;
    return result;
}

void report(QTextStream &out, PhaseResult &phase, int connections)
{
    const double perSecond = double(phase.operations) / phase.seconds;
    const double cpuMsPerOp = phase.operations ? phase.daemonCpuSeconds * 1000.0 / double(phase.operations) : 0;
    const double databaseCpuMsPerOp =
        phase.operations ? phase.databaseCpuSeconds * 1000.0 / double(phase.operations) : 0;
    out << QStringLiteral(
               "%1 @ %2 connections: %3 ops in %4 s = %5 /s, p50 %6 ms, p99 %7 ms, "
               "daemon CPU %8 s per 1,000 ops, database CPU %10 s per 1,000 ops, failures %9\n")
               .arg(phase.name)
               .arg(connections)
               .arg(phase.operations)
               .arg(phase.seconds, 0, 'f', 1)
               .arg(perSecond, 0, 'f', 0)
               .arg(phase.percentileMs(0.50), 0, 'f', 2)
               .arg(phase.percentileMs(0.99), 0, 'f', 2)
               .arg(cpuMsPerOp, 0, 'f', 3)
               .arg(phase.failures)
               .arg(databaseCpuMsPerOp, 0, 'f', 3);
    out.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks daarion-authd (DAARION_AUTHD) on a fresh database of the PostgreSQL server "
        "DAARION_TEST_PG. Loopback only."));
    parser.addHelpOption();
    const QCommandLineOption connectionsOption(QStringLiteral("connections"), QStringLiteral("Concurrent connections."),
                                               QStringLiteral("n"), QStringLiteral("32"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Seconds per phase."),
                                           QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption usersOption(QStringLiteral("users"), QStringLiteral("Accounts signing in."),
                                         QStringLiteral("n"), QStringLiteral("64"));
    const QCommandLineOption workersOption(QStringLiteral("workers"), QStringLiteral("The daemon's WORKER_THREADS."),
                                           QStringLiteral("n"), QStringLiteral("4"));
    parser.addOptions({connectionsOption, secondsOption, usersOption, workersOption});
    parser.process(app);
    const int connections = qBound(1, parser.value(connectionsOption).toInt(), 1024);
    const int seconds = qBound(1, parser.value(secondsOption).toInt(), 300);
    const int users = qBound(1, parser.value(usersOption).toInt(), 10000);

    QTextStream out(stdout);
    TestDatabase db;
    if (!db.isReady()) {
        out << "database: " << db.error() << "\n";
        return 2;
    }
    DaemonProcess daemon;
    if (!daemon.start(db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")},
                                 {QStringLiteral("WORKER_THREADS"), parser.value(workersOption)}})) {
        out << daemon.failure() << "\n";
        return 2;
    }

    // Accounts with synced-passkey behaviour (counter always 0), as most are today.
    std::vector<Account> accounts;
    for (int i = 0; i < users; ++i) {
        SoftAuthenticator::Config config;
        config.algorithms = {softalg::ES256};
        config.counterMode = CounterMode::AlwaysZero;
        PasskeyUser user(daemon.baseUrl(), config);
        const QString name = QStringLiteral("bench%1").arg(i);
        const HttpResponse signedUp = user.signUp(name);
        if (signedUp.status != 200) {
            out << "sign-up failed: " << signedUp.describe() << "\n";
            return 1;
        }
        auto authenticator = std::make_shared<SoftAuthenticator>(config);
        authenticator->addCredential(user.authenticator().credentials().constFirst());
        accounts.push_back({name, user.token, authenticator});
    }
    out << "daarion-auth-bench: " << users << " accounts, " << connections << " connections, " << seconds
        << " s per phase, daemon pid " << daemon.pid() << ", idle RSS " << daemon.residentKiB() / 1024
        << " MiB\n";

    const quint16 port = daemon.port();
    const QString origin = PasskeyUser::kDefaultOrigin;
    // CPU of every PostgreSQL backend of the bench database but our own: what
    // the daemon's statements (and triggers) cost the server.
    daarion::store::Database &admin = db.database();
    const auto databaseCpu = [&admin] {
        double total = 0;
        auto backends = admin.run(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE datname = "
                                                 "current_database() AND pid <> pg_backend_pid()"));
        while (backends && (*backends)->next())
            total += cpuSeconds((*backends)->value(0).toLongLong());
        return total;
    };

    PhaseResult signIns = runPhase(
        QStringLiteral("sign-in (start+finish)"), port, daemon.pid(), databaseCpu, connections,
        seconds, [&](LoadConnection &connection, int slot, std::function<void(bool)> done) {
            const Account &account = accounts[size_t(slot) % accounts.size()];
            const QByteArray startBody = "{\"username\":\"" + account.username.toLatin1() + "\"}";
            connection.send("POST", "/auth/passkey/authenticate/start", startBody, {},
                            [&connection, &account, &origin, done](const LoadResponse &started) {
                                if (started.status != 200)
                                    return done(false);
                                const QJsonObject options = QJsonDocument::fromJson(started.body).object();
                                const SoftAssertion assertion = account.authenticator->get(options, origin);
                                const QByteArray finishBody = QJsonDocument(assertion.json).toJson(QJsonDocument::Compact);
                                connection.send("POST", "/auth/passkey/authenticate/finish", finishBody, {},
                                                [done](const LoadResponse &finished) { done(finished.status == 200); });
                            });
        });
    report(out, signIns, connections);

    PhaseResult me = runPhase(QStringLiteral("GET /auth/me"), port, daemon.pid(), databaseCpu,
                              connections, seconds,
                              [&](LoadConnection &connection, int slot,
                                  std::function<void(bool)> done) {
                                  const Account &account = accounts[size_t(slot) % accounts.size()];
                                  connection.send("GET", "/auth/me", {}, "Bearer " + account.token.toLatin1(),
                                                  [done](const LoadResponse &r) { done(r.status == 200); });
                              });
    report(out, me, connections);

    // 256 connections held open at once, each having been served once.
    std::vector<std::unique_ptr<LoadConnection>> held;
    int answered = 0;
    QEventLoop loop;
    for (int i = 0; i < 256; ++i) {
        held.push_back(std::make_unique<LoadConnection>(port));
        held.back()->send("GET", "/auth/me", {}, "Bearer " + accounts[size_t(i) % accounts.size()].token.toLatin1(),
                          [&](const LoadResponse &) {
                              if (++answered == 256)
                                  loop.quit();
                          });
    }
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    int open = 0;
    for (const auto &connection : held)
        open += connection->isConnected() ? 1 : 0;
    out << "RSS with " << open << " open connections: " << daemon.residentKiB() / 1024 << " MiB\n";
    held.clear();

    daemon.stop();
    return signIns.failures == 0 && me.failures == 0 ? 0 : 1;
}
