// daarion-authd enroll create --username U [--ttl 24h] [--delay 0] [--note TEXT]
// daarion-authd enroll create --new --username U [--display-name D] [--ttl …] [--delay …]
//                             [--note …]
// daarion-authd enroll list [--username U]
// daarion-authd enroll revoke ID
//
// The operator's hands on enrollment links: a way back into an account whose
// passkeys are gone (recovery), or into one made for someone (--new: an
// invite; the username is reserved, the account has no passkey and cannot
// sign in until the link is used). A new link revokes the account's older
// pending ones. The token is printed once, inside the link; only its SHA-256
// is kept. Every change is audited as operator:<--operator or $USER>. One
// JSON object (list: an array) on stdout; exit 0 done, 1 refused (the JSON
// and stderr say why), 2 usage.

#include "server/cli/commands.h"
#include "server/cli/operator_cli.h"

#include "shared/config/settings.h"
#include "shared/identity/enrollment_links.h"
#include "shared/store/database.h"
#include "shared/store/enrollment_repository.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QUuid>

namespace daarion::server
{

namespace
{

const QString kCommand = QStringLiteral("enroll");

int usage(const QString &message)
{
    QTextStream(stderr)
        << "daarion-authd enroll: " << message << "\n"
        << "usage: daarion-authd enroll create --username U [--ttl 24h] [--delay 0] [--note TEXT]\n"
           "       daarion-authd enroll create --new --username U [--display-name D] [--ttl 24h]"
           " [--delay 0] [--note TEXT]\n"
           "       daarion-authd enroll list [--username U]\n"
           "       daarion-authd enroll revoke ID\n"
           "options everywhere: --database-url URL (default $DATABASE_URL), --operator NAME\n"
           "settings read: PUBLIC_URL (default: the first ORIGIN), ENROLLMENT_TTL, "
           "ENROLLMENT_DELAY\n";
    return 2;
}

void printJson(const QJsonDocument &document)
{
    QTextStream(stdout) << document.toJson(QJsonDocument::Indented);
}

int refuse(const QString &code, const QString &message)
{
    return printRefusal(QStringLiteral("enroll"), code, message);
}

int refuse(const identity::ServiceError &error)
{
    if (error.code == identity::ErrorCode::InvalidRequest)
        return usage(error.clientMessage());
    return refuse(QString(identity::errorName(error.code)),
                  error.detail.isEmpty() ? error.clientMessage()
                                         : error.clientMessage() + QStringLiteral(" (") +
                                               error.detail + QLatin1Char(')'));
}

QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODate))
                          : QJsonValue(QJsonValue::Null);
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QJsonObject linkJson(const store::EnrollmentRecord &link)
{
    return QJsonObject{
        {QStringLiteral("id"), uuidText(link.id)},
        {QStringLiteral("user_id"), uuidText(link.userId)},
        {QStringLiteral("username"), link.username},
        {QStringLiteral("kind"), store::enrollmentKindName(link.kind)},
        {QStringLiteral("note"), link.note},
        {QStringLiteral("issued_by"), link.issuedBy},
        {QStringLiteral("created_at"), timeJson(link.createdAt)},
        {QStringLiteral("usable_at"), timeJson(link.usableAt)},
        {QStringLiteral("expires_at"), timeJson(link.expiresAt)},
    };
}

// PUBLIC_URL, ORIGIN, ENROLLMENT_TTL and ENROLLMENT_DELAY from the
// environment, checked as the daemon checks them.
std::optional<config::Settings> enrollmentSettings()
{
    config::Settings settings;
    // The daemon's default origins (loadSettings), for a link without ORIGIN set.
    config::applySetting(settings, QStringLiteral("ORIGIN"), QString::fromLatin1(config::kDefaultOrigins));
    if (!applyEnvironmentSettings(settings, {"ORIGIN", "PUBLIC_URL", "ENROLLMENT_TTL", "ENROLLMENT_DELAY"},
                                  QStringLiteral("enroll")))
        return std::nullopt;
    return settings;
}

int create(const QCommandLineParser &parser, store::Database &database)
{
    const auto settings = enrollmentSettings();
    if (!settings)
        return 2;
    identity::EnrollmentLinkRequest request;
    request.username = parser.value(QStringLiteral("username"));
    request.invite = parser.isSet(QStringLiteral("new"));
    request.displayName = parser.value(QStringLiteral("display-name"));
    request.note = parser.value(QStringLiteral("note"));
    request.lifetime = settings->enrollmentTtl;
    request.delay = settings->enrollmentDelay;
    if (request.username.isEmpty())
        return usage(QStringLiteral("create needs --username"));
    if (!request.invite && parser.isSet(QStringLiteral("display-name")))
        return usage(QStringLiteral("--display-name is for an invite (--new)"));
    for (const auto &[flag, target] : {std::pair{QStringLiteral("ttl"), &request.lifetime},
                                       std::pair{QStringLiteral("delay"), &request.delay}}) {
        if (!parser.isSet(flag))
            continue;
        const auto duration = config::parseDuration(parser.value(flag));
        if (!duration)
            return usage(
                QStringLiteral("--%1 takes a duration such as 300, 30m, 24h or 7d").arg(flag));
        *target = *duration;
    }
    if (int refused = refuseUnlessMigrated(database, QStringLiteral("enroll")))
        return refused;

    auto issued = identity::issueEnrollmentLink(database, request, settings->effectivePublicUrl(),
                                                operatorAuditContext(parser));
    if (!issued)
        return refuse(issued.error());
    QJsonObject answer = linkJson(issued->enrollment);
    answer.insert(QStringLiteral("token"), issued->token);
    answer.insert(QStringLiteral("url"), issued->url);
    answer.insert(QStringLiteral("superseded"), issued->superseded);
    printJson(QJsonDocument(answer));
    return 0;
}

int list(const QCommandLineParser &parser, store::Database &database)
{
    if (int refused = refuseUnlessMigrated(database, QStringLiteral("enroll")))
        return refused;
    QUuid userId;
    if (parser.isSet(QStringLiteral("username"))) {
        auto user = store::UserRepository(database).findByUsername(
            parser.value(QStringLiteral("username")));
        if (!user)
            return user.kind() == store::StoreErrorKind::NotFound
                       ? refuse(QStringLiteral("not_found"),
                                QStringLiteral("no account is named ") +
                                    parser.value(QStringLiteral("username")))
                       : refuse(identity::fromStore(user.error()));
        userId = user->id;
    }
    auto links = store::EnrollmentRepository(database).listPending(userId);
    if (!links)
        return refuse(identity::fromStore(links.error()));
    QJsonArray array;
    for (const store::EnrollmentRecord &link : links.value())
        array.append(linkJson(link));
    printJson(QJsonDocument(array));
    return 0;
}

int revoke(const QCommandLineParser &parser, store::Database &database)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usage(QStringLiteral("revoke needs exactly one link id"));
    const QUuid id = QUuid::fromString(positional.first());
    if (id.isNull())
        return usage(QStringLiteral("not a link id: ") + positional.first());
    if (int refused = refuseUnlessMigrated(database, QStringLiteral("enroll")))
        return refused;
    auto revoked = store::EnrollmentRepository(database).revoke(
        id, QUuid(), QStringLiteral("operator"), operatorAuditContext(parser));
    if (!revoked)
        return revoked.kind() == store::StoreErrorKind::NotFound
                   ? refuse(QStringLiteral("not_found"),
                            QStringLiteral("no pending link has that id (used, revoked or expired "
                                           "ones stay as they are)"))
                   : refuse(identity::fromStore(revoked.error()));
    QJsonObject answer = linkJson(revoked.value());
    answer.insert(QStringLiteral("revoked_at"), timeJson(revoked->revokedAt));
    answer.insert(QStringLiteral("revoked_by"), revoked->revokedBy);
    printJson(QJsonDocument(answer));
    return 0;
}

} // namespace

int runEnrollCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(1);
    if (verb == QLatin1String("--help") || verb == QLatin1String("-h")) {
        usage(QStringLiteral("enrollment links for recovery and invites"));
        return 0;
    }
    if (verb != QLatin1String("create") && verb != QLatin1String("list") &&
        verb != QLatin1String("revoke"))
        return usage(verb.isEmpty() ? QStringLiteral("which one: create, list or revoke?")
                                    : QStringLiteral("unknown command ") + verb);
    QCommandLineParser parser;
    addOperatorOptions(parser);
    if (verb == QLatin1String("create")) {
        parser.addOption({QStringLiteral("new"), QStringLiteral("an invite: create the account")});
        parser.addOption({QStringLiteral("display-name"),
                          QStringLiteral("the invited account's display name"),
                          QStringLiteral("NAME")});
        parser.addOption({QStringLiteral("ttl"),
                          QStringLiteral("how long the link works once usable (default 24h)"),
                          QStringLiteral("DURATION")});
        parser.addOption({QStringLiteral("delay"),
                          QStringLiteral("cooling-off before the link works (default 0)"),
                          QStringLiteral("DURATION")});
        parser.addOption(
            {QStringLiteral("note"), QStringLiteral("why, for operators"), QStringLiteral("TEXT")});
    }
    if (verb != QLatin1String("revoke"))
        parser.addOption(
            {QStringLiteral("username"), QStringLiteral("the account"), QStringLiteral("U")});
    QStringList argv = arguments.mid(1);
    argv[0] = QStringLiteral("daarion-authd enroll ") + verb;
    if (!parser.parse(argv))
        return usage(parser.errorText());
    if (verb != QLatin1String("revoke") && !parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument ") + parser.positionalArguments().first());

    const auto parameters = operatorDatabase(parser, kCommand);
    if (!parameters)
        return 2;
    store::Database database(*parameters);
    if (verb == QLatin1String("create"))
        return create(parser, database);
    if (verb == QLatin1String("list"))
        return list(parser, database);
    return revoke(parser, database);
}

} // namespace daarion::server
