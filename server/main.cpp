// daarion-authd: the DAARION authentication service and its operator tools.
//   daarion-authd [serve] [options]      serve the HTTP API (default)
//   daarion-authd migrate                apply pending database migrations
//   daarion-authd verify registration|assertion …   offline WebAuthn verifier
//   daarion-authd apikey create|list|revoke …       agent and service keys
//   daarion-authd membership grant|revoke …         microDAO memberships
//   daarion-authd audit key|verify|export|checkpoint the tamper-evident audit trail
//   daarion-authd metadata import FILE|status       FIDO MDS3 authenticator metadata
//   daarion-authd enroll create|list|revoke …       enrollment links (recovery, invites)

#include "server/cli/commands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    // With TZ unset, glibc stats /etc/localtime on every mktime(), which
    // QtSql's timestamp conversion calls per row: naming the same zone
    // explicitly lets glibc cache it (measured: fstatat on every request).
    if (qEnvironmentVariableIsEmpty("TZ"))
        qputenv("TZ", ":/etc/localtime");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("daarion-authd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DAARION_AUTH_VERSION));

    QStringList arguments = app.arguments();
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    using namespace daarion::server;
    if (command == QLatin1String("migrate"))
        return runMigrateCommand(arguments.mid(1));
    if (command == QLatin1String("verify"))
        return runVerifyCommand(arguments.mid(1));
    if (command == QLatin1String("apikey"))
        return runApiKeyCommand(arguments.mid(1));
    if (command == QLatin1String("membership"))
        return runMembershipCommand(arguments.mid(1));
    if (command == QLatin1String("audit"))
        return runAuditCommand(arguments.mid(1));
    if (command == QLatin1String("metadata"))
        return runMetadataCommand(arguments.mid(1));
    if (command == QLatin1String("enroll"))
        return runEnrollCommand(arguments.mid(1));
    if (command == QLatin1String("serve"))
        arguments.removeAt(1);
    return runServeCommand(arguments);
}
