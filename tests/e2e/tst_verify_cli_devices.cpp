// Every captured real-authenticator response of tests/data/devices through
// the real `daarion-authd verify` binary (DAARION_AUTHD), as an operator runs
// it: registration with --at the capture's time and --roots where the fixture
// names its roots, then the assertion with the public key the registration
// printed and no --user-handle (the userHandle is reported, not refused).
// Then what --roots means: a format with roots must chain to one of them.
#include "tests/support/device_fixture.h"
#include "tests/support/test_ca.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

using namespace daarion::testing;

Q_DECLARE_METATYPE(daarion::testing::DeviceFixture)

namespace
{

struct Run {
    int exitCode = -1;
    QJsonObject verdict;
    QByteArray output;
};

Run runVerify(const QStringList &arguments, const QJsonObject &response)
{
    QProcess process;
    process.start(qEnvironmentVariable("DAARION_AUTHD"),
                  QStringList{QStringLiteral("verify")} + arguments);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(QJsonDocument(response).toJson(QJsonDocument::Compact));
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.output = process.readAllStandardOutput();
    run.verdict = QJsonDocument::fromJson(run.output).object();
    run.output += process.readAllStandardError();
    return run;
}

QString member(const QJsonObject &object, const char *name)
{
    return object.value(QLatin1StringView(name)).toString();
}

QStringList ceremonyFlags(const DeviceFixture &fixture, const QString &challenge)
{
    return {QStringLiteral("--rp-id"),     fixture.rpId, QStringLiteral("--origin"), fixture.origin,
            QStringLiteral("--challenge"), challenge};
}

QStringList registrationFlags(const DeviceFixture &fixture)
{
    QStringList flags = QStringList{QStringLiteral("registration")} +
                        ceremonyFlags(fixture, fixture.registration->challenge);
    if (fixture.verificationTime.isValid())
        flags << QStringLiteral("--at") << fixture.verificationTime.toUTC().toString(Qt::ISODate);
    return flags;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A self-signed CA that no capture chains to (PEM): the test CA of tests/support.
QByteArray unrelatedRootPem()
{
    return TestCa::createRoot(QStringLiteral("Unrelated Test Root")).certificatePem();
}

QList<DeviceFixture> fixtures()
{
    try {
        return loadDeviceFixtures();
    } catch (const std::runtime_error &) {
        return {};
    }
}

DeviceFixture fixtureNamed(const QString &name)
{
    for (const DeviceFixture &fixture : fixtures()) {
        if (fixture.name == name)
            return fixture;
    }
    return {};
}

} // namespace

class TestVerifyCliDevices : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DAARION_AUTHD") || deviceFixtureDirectory().isEmpty())
            QFAIL("DAARION_AUTHD and DAARION_TEST_DATA must be set (run through CTest)");
        QVERIFY(QFile::exists(qEnvironmentVariable("DAARION_AUTHD")));
        QVERIFY(fixtures().size() >= 50);
    }

    void device_data()
    {
        QTest::addColumn<DeviceFixture>("fixture");
        for (const DeviceFixture &fixture : fixtures())
            QTest::newRow(qPrintable(fixture.name)) << fixture;
    }
    void device()
    {
        QFETCH(DeviceFixture, fixture);
        QString publicKey = QString::fromLatin1(fixture.publicKeyCose.toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        qint64 signCount = fixture.signCount;

        if (fixture.registration) {
            const ExpectedVerdict &expected = fixture.registration->expected;
            QStringList flags = registrationFlags(fixture);
            QTemporaryDir roots;
            for (qsizetype i = 0; i < fixture.rootsPem.size(); ++i)
                QVERIFY(writeFile(roots.filePath(QStringLiteral("root%1.pem").arg(i)),
                                  fixture.rootsPem[i]));
            if (!fixture.rootsPem.isEmpty())
                flags << QStringLiteral("--roots") << roots.path();
            const Run registered = runVerify(flags, fixture.registration->response);
            if (!expected.valid) {
                QVERIFY2(registered.exitCode == 1, registered.output.constData());
                QCOMPARE(member(registered.verdict, "error"), expected.error);
                QCOMPARE(registered.verdict.value(QLatin1StringView("ok")).toBool(true), false);
                return;
            }
            QVERIFY2(registered.exitCode == 0, registered.output.constData());
            QCOMPARE(registered.verdict.value(QLatin1StringView("ok")).toBool(), true);
            QCOMPARE(member(registered.verdict, "fmt"), expected.fmt);
            QCOMPARE(member(registered.verdict, "attestation_type"), expected.attestationType);
            QCOMPARE(member(registered.verdict, "aaguid"), expected.aaguid);
            QCOMPARE(member(registered.verdict, "credential_id"), expected.credentialId);
            QCOMPARE(registered.verdict.value(QLatin1StringView("trusted")).toBool(),
                     expected.trusted.value_or(false));
            publicKey = member(registered.verdict, "public_key");
            signCount = registered.verdict.value(QLatin1StringView("sign_count")).toInteger();
        }
        if (!fixture.authentication)
            return;

        const ExpectedVerdict &expected = fixture.authentication->expected;
        QStringList flags = QStringList{QStringLiteral("assertion")} +
                            ceremonyFlags(fixture, fixture.authentication->challenge) +
                            QStringList{QStringLiteral("--public-key"), publicKey,
                                        QStringLiteral("--sign-count"), QString::number(signCount)};
        if (fixture.requireUserVerification)
            flags << QStringLiteral("--require-uv");
        const Run asserted = runVerify(flags, fixture.authentication->response);
        if (!expected.valid) {
            QVERIFY2(asserted.exitCode == 1, asserted.output.constData());
            QCOMPARE(member(asserted.verdict, "error"), expected.error);
            return;
        }
        QVERIFY2(asserted.exitCode == 0, asserted.output.constData());
        const QJsonObject response =
            fixture.authentication->response.value(QLatin1StringView("response")).toObject();
        const QJsonValue userHandle = response.value(QLatin1StringView("userHandle"));
        if (userHandle.isString() && !userHandle.toString().isEmpty())
            QCOMPARE(member(asserted.verdict, "user_handle"), userHandle.toString());
        else
            QVERIFY(asserted.verdict.value(QLatin1StringView("user_handle")).isNull());
    }

    // --user-handle, when given, is the owner's: another one refuses the
    // response that names its own (iCloud Keychain returns a userHandle).
    void userHandleGivenMustMatch()
    {
        const DeviceFixture fixture = fixtureNamed(QStringLiteral("icloud-keychain-safari"));
        QVERIFY(fixture.registration && fixture.authentication);
        const Run registered =
            runVerify(registrationFlags(fixture), fixture.registration->response);
        QCOMPARE(registered.exitCode, 0);
        const QStringList flags =
            QStringList{QStringLiteral("assertion")} +
            ceremonyFlags(fixture, fixture.authentication->challenge) +
            QStringList{QStringLiteral("--public-key"), member(registered.verdict, "public_key")};
        const QString own =
            member(fixture.authentication->response.value(QLatin1StringView("response")).toObject(),
                   "userHandle");
        Run run = runVerify(flags + QStringList{QStringLiteral("--user-handle"), own},
                            fixture.authentication->response);
        QVERIFY2(run.exitCode == 0, run.output.constData());
        QCOMPARE(member(run.verdict, "user_handle"), own);
        run = runVerify(flags + QStringList{QStringLiteral("--user-handle"),
                                            QStringLiteral("c29tZW9uZS1lbHNl")},
                        fixture.authentication->response);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("unknown_credential"));
    }

    // --roots: a format with roots must chain to one; other formats, none and
    // self attestation stay accepted as untrusted.
    void rootsRefuseAnAttestationThatDoesNotChain_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("roots");  // "own" or "unrelated"; empty: no --roots
        QTest::addColumn<QString>("folder"); // empty: DIR itself (every format), else DIR/<fmt>
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("outcome"); // "trusted", "untrusted" or an error code
        QTest::newRow("tpm, its own root") << "windows-hello-tpm-amplify"
                                           << "own"
                                           << "" << 0 << "trusted";
        QTest::newRow("tpm, its own root under tpm/") << "windows-hello-tpm-amplify"
                                                      << "own"
                                                      << "tpm" << 0 << "trusted";
        QTest::newRow("tpm, an unrelated root for every format")
            << "windows-hello-tpm-amplify"
            << "unrelated"
            << "" << 1 << "attestation_invalid";
        QTest::newRow("tpm, an unrelated root under tpm/") << "windows-hello-tpm-amplify"
                                                           << "unrelated"
                                                           << "tpm" << 1 << "attestation_invalid";
        QTest::newRow("tpm, an unrelated root under packed/") << "windows-hello-tpm-amplify"
                                                              << "unrelated"
                                                              << "packed" << 0 << "untrusted";
        QTest::newRow("tpm, no roots") << "windows-hello-tpm-amplify"
                                       << ""
                                       << "" << 0 << "untrusted";
        QTest::newRow("packed x5c, an unrelated root for every format")
            << "yubikey-5"
            << "unrelated"
            << "" << 1 << "attestation_invalid";
        QTest::newRow("packed self, an unrelated root for every format") << "chrome-profile-macos"
                                                                         << "unrelated"
                                                                         << "" << 0 << "untrusted";
        QTest::newRow("none, an unrelated root for every format") << "icloud-keychain-chrome"
                                                                  << "unrelated"
                                                                  << "" << 0 << "untrusted";
        QTest::newRow("apple, no roots") << "apple-ios-2021"
                                         << ""
                                         << "" << 0 << "untrusted";
    }
    void rootsRefuseAnAttestationThatDoesNotChain()
    {
        QFETCH(QString, name);
        QFETCH(QString, roots);
        QFETCH(QString, folder);
        QFETCH(int, exitCode);
        QFETCH(QString, outcome);
        const DeviceFixture fixture = fixtureNamed(name);
        QVERIFY(fixture.registration);
        QStringList flags = registrationFlags(fixture);
        QTemporaryDir directory;
        if (!roots.isEmpty()) {
            const QString path = folder.isEmpty() ? directory.path() : directory.filePath(folder);
            QVERIFY(QDir().mkpath(path));
            const QByteArray pem =
                roots == QLatin1StringView("own") ? fixture.rootsPem.value(0) : unrelatedRootPem();
            QVERIFY(!pem.isEmpty());
            QVERIFY(writeFile(path + QStringLiteral("/root.pem"), pem));
            flags << QStringLiteral("--roots") << directory.path();
        }
        const Run run = runVerify(flags, fixture.registration->response);
        QVERIFY2(run.exitCode == exitCode, run.output.constData());
        if (exitCode == 0)
            QCOMPARE(run.verdict.value(QLatin1StringView("trusted")).toBool(),
                     outcome == QLatin1StringView("trusted"));
        else
            QCOMPARE(member(run.verdict, "error"), outcome);
    }

    // Without --at, certificates are judged now: captures whose certificates
    // have since expired are refused as expired (the reason real Windows Hello
    // and Apple captures failed when run without their capture time).
    void expiredCaptureWithoutAtIsRefusedAsExpired()
    {
        const DeviceFixture fixture = fixtureNamed(QStringLiteral("apple-ios-2021"));
        QVERIFY(fixture.registration);
        const Run run = runVerify(QStringList{QStringLiteral("registration")} +
                                      ceremonyFlags(fixture, fixture.registration->challenge),
                                  fixture.registration->response);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("attestation_invalid"));
        QVERIFY2(member(run.verdict, "message").contains(QLatin1StringView("has expired")),
                 run.output.constData());
    }
};

QTEST_GUILESS_MAIN(TestVerifyCliDevices)
#include "tst_verify_cli_devices.moc"
