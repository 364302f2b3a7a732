// daarion-authd membership grant --username U --microdao ID --role owner|admin|member
// daarion-authd membership revoke --username U --microdao ID
// daarion-authd membership list [--microdao ID | --username U]
// Operators write memberships here (the microDAO service uses
// PUT/DELETE /internal/memberships). Every change is an audit event with
// actor operator:<--operator or $USER>.

#include "server/cli/commands.h"
#include "server/cli/operator_cli.h"

#include "shared/identity/memberships.h"
#include "shared/store/database.h"
#include "shared/store/membership_repository.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <QUuid>

namespace daarion::server {

namespace {

int usage(const QString &message)
{
    QTextStream(stderr) << "daarion-authd membership: " << message << "\n"
                        << "usage: daarion-authd membership grant --username U --microdao ID --role owner|admin|member\n"
                           "       daarion-authd membership revoke --username U --microdao ID\n"
                           "       daarion-authd membership list [--microdao ID | --username U]\n"
                           "options everywhere: --database-url URL (default $DATABASE_URL), --operator NAME\n";
    return 2;
}

int refused(const identity::ServiceError &error)
{
    QTextStream(stderr) << "daarion-authd membership: " << error.message << "\n";
    return error.code == identity::ErrorCode::InvalidRequest ? 2 : 1;
}

} // namespace

int runMembershipCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(1);
    if (verb != QLatin1String("grant") && verb != QLatin1String("revoke") && verb != QLatin1String("list"))
        return usage(verb.isEmpty() ? QStringLiteral("which one: grant, revoke or list?")
                                    : QStringLiteral("unknown command ") + verb);
    QCommandLineParser parser;
    addOperatorOptions(parser);
    parser.addOption({QStringLiteral("username"), QStringLiteral("the person"), QStringLiteral("U")});
    parser.addOption({QStringLiteral("microdao"), QStringLiteral("microdao:<id>"), QStringLiteral("ID")});
    if (verb == QLatin1String("grant"))
        parser.addOption({QStringLiteral("role"), QStringLiteral("owner, admin or member"), QStringLiteral("ROLE")});
    QStringList argv = arguments.mid(1);
    argv[0] = QStringLiteral("daarion-authd membership ") + verb;
    if (!parser.parse(argv))
        return usage(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument ") + parser.positionalArguments().first());
    const QString username = parser.value(QStringLiteral("username"));
    const QString microdao = parser.value(QStringLiteral("microdao"));
    if (verb != QLatin1String("list") && (username.isEmpty() || microdao.isEmpty()))
        return usage(verb + QStringLiteral(" needs --username and --microdao"));
    if (verb == QLatin1String("grant") && !parser.isSet(QStringLiteral("role")))
        return usage(QStringLiteral("grant needs --role"));

    const auto parameters = operatorDatabase(parser, QStringLiteral("membership"));
    if (!parameters)
        return 2;
    store::Database database(*parameters);
    QTextStream out(stdout);

    if (verb == QLatin1String("grant")) {
        auto granted = identity::grantMembership(database, username, microdao, parser.value(QStringLiteral("role")),
                                                 operatorAuditContext(parser));
        if (!granted)
            return refused(granted.error());
        out << "granted " << username << " " << granted->role << " of " << granted->microdaoId << "\n";
        return 0;
    }
    if (verb == QLatin1String("revoke")) {
        auto revoked = identity::revokeMembership(database, username, microdao, operatorAuditContext(parser));
        if (!revoked)
            return refused(revoked.error());
        out << "revoked " << username << "'s membership of " << microdao << "\n";
        return 0;
    }

    store::MembershipRepository memberships(database);
    store::StoreResult<QList<store::MembershipRecord>> rows = QList<store::MembershipRecord>{};
    if (!username.isEmpty()) {
        auto user = identity::findUserByIdOrName(database, username);
        if (!user)
            return refused(user.error());
        rows = memberships.listByUser(user->id);
    } else if (!microdao.isEmpty()) {
        rows = memberships.listByMicrodao(microdao);
    } else {
        rows = memberships.listAll(5000);
    }
    if (!rows)
        return refused(identity::fromStore(rows.error()));
    const QString format = QStringLiteral("%1  %2  %3  %4\n");
    out << format.arg(QStringLiteral("microdao"), -24).arg(QStringLiteral("username"), -32).arg(QStringLiteral("role"), -6)
               .arg(QStringLiteral("since"));
    for (const store::MembershipRecord &row : rows.value()) {
        out << format.arg(row.microdaoId, -24)
                   .arg(row.username.isEmpty() ? username : row.username, -32)
                   .arg(row.role, -6)
                   .arg(row.createdAt.toUTC().toString(Qt::ISODate));
    }
    return 0;
}

} // namespace daarion::server
