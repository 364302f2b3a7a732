// Starting the console: connection settings never keep the password; an
// unreachable or unmigrated database gives a clear reason; the command line.

#include "console/connection/connection_check.h"
#include "console/connection/connection_settings.h"
#include "console/common/operator_identity.h"
#include "console/console_options.h"
#include "tests/support/test_database.h"

#include <QFile>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace daarion::console;
using namespace daarion::store;
using daarion::testing::TestDatabase;

class ConsoleConnectionTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!TestDatabase::serverUrl().isEmpty(),
                 "DAARION_TEST_PG is not set: the console suites need a real PostgreSQL (run scripts/test)");
    }

    void settingsNeverKeepThePassword()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.ini"));
        ConnectionParameters chosen;
        chosen.host = QStringLiteral("db.internal");
        chosen.port = 6543;
        chosen.user = QStringLiteral("operator");
        chosen.password = QStringLiteral("s3cret-Pa55");
        chosen.databaseName = QStringLiteral("daarion_auth");
        chosen.options = QStringLiteral("sslmode=require");
        {
            QSettings settings(path, QSettings::IniFormat);
            settings.setValue(QStringLiteral("connection/password"), QStringLiteral("left-by-an-old-version"));
            saveConnectionSettings(settings, chosen);
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains("s3cret"));
        QVERIFY(!written.contains("left-by-an-old-version"));
        QVERIFY(!written.toLower().contains("password"));

        QSettings settings(path, QSettings::IniFormat);
        const ConnectionParameters loaded = loadConnectionSettings(settings);
        ConnectionParameters expected = chosen;
        expected.password.clear();
        QCOMPARE(loaded, expected);
    }

    void connectTimeoutIsAddedOnce()
    {
        QCOMPARE(withConnectTimeout(QString()), QStringLiteral("connect_timeout=10"));
        QCOMPARE(withConnectTimeout(QStringLiteral("sslmode=require")), QStringLiteral("sslmode=require;connect_timeout=10"));
        QCOMPARE(withConnectTimeout(QStringLiteral("connect_timeout=3")), QStringLiteral("connect_timeout=3"));
    }

    void unreachableDatabaseIsExplained()
    {
        // A port nobody listens on: take one, then close it.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        auto parameters = parseDatabaseUrl(QStringLiteral("postgresql://postgres:hunter2@127.0.0.1:%1/daarion_auth").arg(port));
        QVERIFY(parameters.ok());
        parameters->options = withConnectTimeout(parameters->options, 3);
        const StoreCheck checked = checkConsoleDatabase(*parameters);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.kind(), StoreErrorKind::Unavailable);
        const QString text = connectionProblemText(*parameters, checked.error());
        QVERIFY2(text.contains(QStringLiteral("Cannot reach PostgreSQL at postgresql://postgres@127.0.0.1:%1/daarion_auth").arg(port)),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("hunter2")));
    }

    void unmigratedDatabaseIsExplained()
    {
        TestDatabase empty(TestDatabase::Schema::Empty);
        QVERIFY2(empty.isReady(), qPrintable(empty.error()));
        const StoreCheck checked = checkConsoleDatabase(empty.parameters());
        QVERIFY(!checked.ok());
        const QString text = connectionProblemText(empty.parameters(), checked.error());
        QVERIFY2(text.contains(QStringLiteral("schema")), qPrintable(text));
        QVERIFY(text.contains(empty.name()));
    }

    void migratedDatabaseIsAccepted()
    {
        TestDatabase migrated;
        QVERIFY2(migrated.isReady(), qPrintable(migrated.error()));
        const StoreCheck checked = checkConsoleDatabase(migrated.parameters());
        QVERIFY2(checked.ok(), checked ? "" : qPrintable(checked.error().message));
    }

    void commandLine()
    {
        QString error;
        auto options = parseConsoleOptions({QStringLiteral("console"), QStringLiteral("--operator"),
                                            QStringLiteral("ops.kate"), QStringLiteral("--read-only")},
                                           &error);
        QVERIFY(options.has_value());
        QCOMPARE(options->operatorName, QStringLiteral("ops.kate"));
        QVERIFY(options->readOnly);
        QVERIFY(options->screenshotPath.isEmpty());

        options = parseConsoleOptions({QStringLiteral("console")}, &error);
        QVERIFY(options.has_value());
        QVERIFY(!options->operatorName.isEmpty()); // the OS user name
        QVERIFY(!options->readOnly);

        // An operator name that would not fit the audit trail, or could forge another actor.
        QVERIFY(!parseConsoleOptions({QStringLiteral("console"), QStringLiteral("--operator"),
                                      QStringLiteral("x y:z")},
                                     &error));
        QVERIFY(error.contains(QStringLiteral("--operator")));

        options = parseConsoleOptions({QStringLiteral("console"), QStringLiteral("--view"), QStringLiteral("audit")}, &error);
        QVERIFY(options.has_value());
        QCOMPARE(options->view, QStringLiteral("audit"));
        QVERIFY(!parseConsoleOptions({QStringLiteral("console"), QStringLiteral("--view"), QStringLiteral("settings")},
                                     &error));
        QVERIFY(error.contains(QStringLiteral("--view")));
        QVERIFY(!parseConsoleOptions({QStringLiteral("console"), QStringLiteral("--operator"), QString(70, QLatin1Char('a'))},
                                     &error));
    }

    void operatorNameInTheAuditContext()
    {
        const OperatorIdentity identity{QStringLiteral("kate"), false};
        QCOMPARE(identity.auditContext().actor, QStringLiteral("operator:kate"));
    }
};

QTEST_MAIN(ConsoleConnectionTest)
#include "tst_console_connection.moc"
