// What the service promises beyond one process: any replica finishes what
// another started (all ceremony state is in PostgreSQL), a challenge wins
// once even when two replicas race, and losing the database gives 503
// unavailable meanwhile and normal service after, with nothing lost.

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace daarion::testing;

namespace {
const QMap<QString, QString> kNoRateLimit{{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}};

// scripts/pg, the same private-cluster script the test command uses.
QString runPgScript(const QStringList &arguments, bool *ok)
{
    QProcess process;
    process.start(QStringLiteral("bash"),
                  QStringList{qEnvironmentVariable("DAARION_SOURCE_DIR") + QStringLiteral("/scripts/pg")} + arguments);
    *ok = process.waitForFinished(120'000) && process.exitStatus() == QProcess::NormalExit &&
          process.exitCode() == 0;
    const QString output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    if (!*ok)
        qWarning().noquote() << "scripts/pg" << arguments << "failed:" << process.readAllStandardError();
    return output;
}
} // namespace

class ReplicasAndOutage : public QObject
{
    Q_OBJECT

private slots:
    void ceremonyStartedOnOneReplicaFinishesOnAnother()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        DaemonProcess first, second;
        QVERIFY2(first.start(db.url(), kNoRateLimit), qPrintable(first.failure()));
        QVERIFY2(second.start(db.url(), kNoRateLimit), qPrintable(second.failure()));

        PasskeyUser onFirst(first.baseUrl());
        PasskeyUser onSecond(second.baseUrl());
        // Sign-up: options from the first, finish on the second.
        const HttpResponse started = onFirst.startSignUp(QStringLiteral("roamer"));
        QCOMPARE(started.status, 200);
        const SoftRegistration registration = onFirst.create(started.json());
        const HttpResponse finished = onSecond.finishRegistration(registration.json);
        QVERIFY2(finished.status == 200, qPrintable(finished.describe()));

        // Sign-in the other way round, with the same authenticator.
        onSecond.authenticator().addCredential(registration.credential);
        const HttpResponse signInStarted = onSecond.startSignIn(QStringLiteral("roamer"));
        const HttpResponse signedIn = onFirst.finishSignIn(onSecond.assert_(signInStarted.json()).json);
        QVERIFY2(signedIn.status == 200, qPrintable(signedIn.describe()));
        // A session issued by one replica is good on the other.
        onSecond.token = onFirst.token;
        QCOMPARE(onSecond.get(QStringLiteral("/auth/me")).json().value(QStringLiteral("username")).toString(),
                 QStringLiteral("roamer"));
        QCOMPARE(first.stop(), 0);
        QCOMPARE(second.stop(), 0);
    }

    void racingFinishesOnTwoReplicasHaveOneWinner()
    {
        TestDatabase db;
        QVERIFY2(db.isReady(), qPrintable(db.error()));
        DaemonProcess first, second;
        QVERIFY2(first.start(db.url(), kNoRateLimit), qPrintable(first.failure()));
        QVERIFY2(second.start(db.url(), kNoRateLimit), qPrintable(second.failure()));
        PasskeyUser user(first.baseUrl());
        QCOMPARE(user.signUp(QStringLiteral("racer")).status, 200);

        for (int round = 0; round < 10; ++round) {
            const HttpResponse started = user.startSignIn(QStringLiteral("racer"));
            const QJsonObject body = user.assert_(started.json()).json;
            // The same response, sent to both replicas at once.
            const QStringList replicas{first.baseUrl(), second.baseUrl()};
            const QList<int> statuses = race(
                2, [](int) {},
                [&](int i) {
                    HttpClient client(replicas[i]);
                    return client.post(QStringLiteral("/auth/passkey/authenticate/finish"), body)
                        .status;
                });
            QVERIFY2(statuses.count(200) == 1 && statuses.count(400) == 1,
                     qPrintable(QStringLiteral("round %1: %2 and %3").arg(round).arg(statuses[0]).arg(statuses[1])));
        }
        QCOMPARE(first.stop(), 0);
        QCOMPARE(second.stop(), 0);
    }

    void databaseOutageGives503AndRecovers()
    {
        QTemporaryDir clusterDir(QStringLiteral("/tmp/daarion-outage-XXXXXX"));
        QVERIFY(clusterDir.isValid());
        const QString port = QString::number(DaemonProcess::freePort());
        bool ok = false;
        const QString url = runPgScript({QStringLiteral("start"), clusterDir.path(), port}, &ok);
        QVERIFY2(ok, "could not start a private PostgreSQL");
        auto stopCluster = qScopeGuard([&] { runPgScript({QStringLiteral("stop"), clusterDir.path()}, &ok); });

        DaemonProcess daemon;
        QVERIFY2(daemon.start(url, kNoRateLimit), qPrintable(daemon.failure()));
        PasskeyUser user(daemon.baseUrl());
        QCOMPARE(user.signUp(QStringLiteral("steady")).status, 200);
        QCOMPARE(user.get(QStringLiteral("/auth/me")).status, 200);

        runPgScript({QStringLiteral("stop"), clusterDir.path()}, &ok);
        QVERIFY(ok);
        const HttpResponse down = user.get(QStringLiteral("/auth/me"));
        QCOMPARE(down.status, 503);
        QCOMPARE(down.errorCode(), QStringLiteral("unavailable"));
        QCOMPARE(user.startSignIn(QStringLiteral("steady")).status, 503);
        QCOMPARE(user.http().get(QStringLiteral("/ready")).status, 503);
        QCOMPARE(user.http().get(QStringLiteral("/health")).status, 200);

        runPgScript({QStringLiteral("start"), clusterDir.path(), port}, &ok);
        QVERIFY(ok);
        // Back by itself: no restart, the same session still valid, nothing lost.
        QTRY_COMPARE_WITH_TIMEOUT(user.get(QStringLiteral("/auth/me")).status, 200, 20'000);
        QCOMPARE(user.http().get(QStringLiteral("/ready")).status, 200);
        user.token.clear();
        const HttpResponse signedIn = user.signIn(QStringLiteral("steady"));
        QVERIFY2(signedIn.status == 200, qPrintable(signedIn.describe()));
        QCOMPARE(daemon.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(ReplicasAndOutage)
#include "tst_replicas_and_outage.moc"
