#pragma once
// The real daarion-authd (env DAARION_AUTHD) as a child process for tests:
// started on a free port against a database, ready once /health answers,
// stopped with SIGTERM. Its output is kept for failure messages.
//
//     DaemonProcess daemon;
//     QVERIFY2(daemon.start(db.url(), {{"RATE_LIMIT", "off"}}), qPrintable(daemon.failure()));
//     HttpClient http(daemon.baseUrl());

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace daarion::testing {

class DaemonProcess
{
public:
    DaemonProcess();
    ~DaemonProcess(); // stops the daemon if it still runs
    DaemonProcess(const DaemonProcess &) = delete;
    DaemonProcess &operator=(const DaemonProcess &) = delete;

    // Starts `daarion-authd [arguments]` with PORT (a free one unless `env`
    // sets it), BIND_ADDRESS=127.0.0.1, DATABASE_URL and `env` on top of this
    // process's environment; waits until /health answers 200 (over https
    // when TLS_CERT is given). False, with failure() saying why, otherwise.
    bool start(const QString &databaseUrl, const QMap<QString, QString> &env = {},
               const QStringList &arguments = {}, int timeoutMs = 30'000);

    // SIGTERM, then waits; returns the exit code (-1 if it crashed or had to be killed).
    int stop(int timeoutMs = 15'000);

    bool isRunning() const;
    qint64 pid() const;
    quint16 port() const { return m_port; }
    QString baseUrl() const; // http://127.0.0.1:<port> (https with TLS)
    QUrl url(const QString &path) const { return QUrl(baseUrl() + path); }

    // Everything the daemon wrote to stdout and stderr so far.
    QString output() const;
    // Why start() failed, with the output's tail.
    QString failure() const { return m_failure; }
    // Resident memory of the daemon now, in KiB (VmRSS), or -1.
    qint64 residentKiB() const;

    // The daemon binary (DAARION_AUTHD), or empty.
    static QString binary();
    // A TCP port free on 127.0.0.1 right now.
    static quint16 freePort();

    // Runs the daemon to its end (for start-up failures): exit code and output.
    struct Outcome {
        int exitCode = -1;
        bool finished = false; // false: still running at the deadline (then killed)
        QString output;
    };
    static Outcome runToExit(const QMap<QString, QString> &env, const QStringList &arguments,
                             int timeoutMs = 15'000);

    // Runs an operator command (`daarion-authd apikey …`) with `env` on top
    // of this process's environment, its two outputs apart.
    struct CommandRun {
        int exitCode = -1; // -1: crashed, killed or never started
        QString out;
        QString err;
        QString lastLine() const
        {
            return out.trimmed().split(QLatin1Char('\n')).constLast().trimmed();
        }
        QString describe() const
        {
            return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(out, err);
        }
    };
    static CommandRun runCommand(const QMap<QString, QString> &env, const QStringList &arguments,
                                 int timeoutMs = 30'000);

private:
    bool waitForHealth(int timeoutMs);

    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    bool m_tls = false;
    QString m_failure;
    mutable QByteArray m_output;
};

} // namespace daarion::testing
