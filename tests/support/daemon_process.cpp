#include "tests/support/daemon_process.h"

#include "tests/support/http_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QTcpServer>
#include <QThread>

#include <csignal>

namespace daarion::testing {

namespace {

// Settings a developer's shell might carry into the test: the test decides.
// clang-format off: a table, one line per group
const char *const kInheritedSettings[] = {
    "PORT", "BIND_ADDRESS", "ENVIRONMENT", "RP_ID", "RP_NAME", "ORIGIN", "DATABASE_URL", "MIGRATE_ON_START",
    "SESSION_TTL", "SESSION_IDLE_TIMEOUT", "CHALLENGE_TTL", "SWEEP_INTERVAL", "RATE_LIMIT",
    "RATE_LIMIT_IP_PER_MINUTE", "RATE_LIMIT_IP_BURST", "RATE_LIMIT_USERNAME_PER_MINUTE",
    "RATE_LIMIT_USERNAME_BURST", "TRUSTED_PROXIES", "TLS_CERT", "TLS_KEY", "JWT_SECRET", "MAX_BODY_BYTES",
    "MAX_CONNECTIONS", "HTTP_IDLE_TIMEOUT", "WORKER_THREADS", "WORKER_QUEUE_LIMIT", "REQUIRE_USER_VERIFICATION",
    "ATTESTATION", "ATTESTATION_ROOTS", "REQUIRE_TRUSTED_ATTESTATION", "DEMO",
    "COOKIE_SECURE", "METRICS_TOKEN", "API_KEY_TTL"};
// clang-format on

QProcessEnvironment environmentWith(const QMap<QString, QString> &env)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : kInheritedSettings)
        environment.remove(QString::fromLatin1(name));
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        environment.insert(it.key(), it.value());
    return environment;
}

QString tail(const QString &text, int lines = 40)
{
    const QStringList all = text.split(QLatin1Char('\n'));
    return all.mid(qMax(0, int(all.size()) - lines)).join(QLatin1Char('\n'));
}

} // namespace

DaemonProcess::DaemonProcess() = default;

DaemonProcess::~DaemonProcess()
{
    if (isRunning())
        stop(5'000);
}

QString DaemonProcess::binary()
{
    return qEnvironmentVariable("DAARION_AUTHD");
}

quint16 DaemonProcess::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool DaemonProcess::start(const QString &databaseUrl, const QMap<QString, QString> &env,
                          const QStringList &arguments, int timeoutMs)
{
    m_failure.clear();
    m_output.clear();
    if (binary().isEmpty()) {
        m_failure = QStringLiteral("DAARION_AUTHD is not set (run the tests through ctest)");
        return false;
    }
    QMap<QString, QString> settings;
    settings.insert(QStringLiteral("PORT"), QString::number(freePort()));
    settings.insert(QStringLiteral("BIND_ADDRESS"), QStringLiteral("127.0.0.1"));
    settings.insert(QStringLiteral("DATABASE_URL"), databaseUrl);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        settings.insert(it.key(), it.value());
    m_port = quint16(settings.value(QStringLiteral("PORT")).toUInt());
    m_tls = !settings.value(QStringLiteral("TLS_CERT")).isEmpty();

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setProcessEnvironment(environmentWith(settings));
    m_process->start(binary(), arguments);
    if (!m_process->waitForStarted(10'000)) {
        m_failure = QStringLiteral("cannot start %1: %2").arg(binary(), m_process->errorString());
        return false;
    }
    if (!waitForHealth(timeoutMs)) {
        const bool running = isRunning();
        if (running)
            stop(5'000);
        m_failure = QStringLiteral("daarion-authd %1 within %2 ms; its output:\n%3")
                        .arg(running ? QStringLiteral("did not answer /health") : QStringLiteral("exited"))
                        .arg(timeoutMs)
                        .arg(tail(output()));
        return false;
    }
    return true;
}

bool DaemonProcess::waitForHealth(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    HttpClient client(baseUrl());
    client.setTimeoutMs(2'000);
    if (m_tls) {
        const QString certificatePath = m_process->processEnvironment().value(QStringLiteral("TLS_CERT"));
        const auto certificates = QSslCertificate::fromPath(certificatePath);
        for (const QSslCertificate &certificate : certificates)
            client.trustCertificate(certificate);
    }
    while (clock.elapsed() < timeoutMs) {
        if (!isRunning())
            return false;
        if (client.get(QStringLiteral("/health")).status == 200)
            return true;
        QThread::msleep(50);
    }
    return false;
}

int DaemonProcess::stop(int timeoutMs)
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM
        if (!m_process->waitForFinished(timeoutMs)) {
            m_process->kill();
            m_process->waitForFinished(5'000);
            output();
            return -1;
        }
    }
    output();
    if (m_process->exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process->exitCode();
}

bool DaemonProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 DaemonProcess::pid() const
{
    return m_process ? m_process->processId() : -1;
}

QString DaemonProcess::baseUrl() const
{
    return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? QStringLiteral("https") : QStringLiteral("http")).arg(m_port);
}

QString DaemonProcess::output() const
{
    if (m_process)
        m_output += m_process->readAll();
    return QString::fromUtf8(m_output);
}

qint64 DaemonProcess::residentKiB() const
{
    if (!isRunning())
        return -1;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

DaemonProcess::Outcome DaemonProcess::runToExit(const QMap<QString, QString> &env, const QStringList &arguments,
                                                int timeoutMs)
{
    Outcome outcome;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(environmentWith(env));
    process.start(binary(), arguments);
    if (!process.waitForStarted(10'000)) {
        outcome.output = process.errorString();
        return outcome;
    }
    outcome.finished = process.waitForFinished(timeoutMs);
    if (!outcome.finished) {
        process.kill();
        process.waitForFinished(5'000);
    }
    outcome.output = QString::fromUtf8(process.readAll());
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return outcome;
}

DaemonProcess::CommandRun DaemonProcess::runCommand(const QMap<QString, QString> &env,
                                                    const QStringList &arguments, int timeoutMs)
{
    CommandRun run;
    QProcess process;
    process.setProcessEnvironment(environmentWith(env));
    process.start(binary(), arguments);
    if (!process.waitForStarted(10'000)) {
        run.err = process.errorString();
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace daarion::testing
