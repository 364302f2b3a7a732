// daarion-authd apikey create --actor-type agent|service --name NAME [--microdao ID]
//                             [--expires-days N | --no-expiry]
// daarion-authd apikey list [--microdao ID] [--live]
// daarion-authd apikey revoke ID
// Operators' hands on agent and service keys. create prints the key as its
// last line (shown once: only its hash is kept). An agent key expires after
// API_KEY_TTL (from the environment, default 90 days) unless --expires-days
// or --no-expiry says otherwise; a service key never, unless --expires-days.
// Every change is audited as operator:<--operator or $USER>.

#include "server/cli/commands.h"
#include "server/cli/operator_cli.h"

#include "shared/config/settings.h"
#include "shared/identity/api_keys.h"
#include "shared/store/api_key_repository.h"
#include "shared/store/database.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <QUuid>

namespace daarion::server {

namespace {

QString when(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QStringLiteral("-");
}

int usage(const QString &message)
{
    QTextStream(stderr)
        << "daarion-authd apikey: " << message << "\n"
        << "usage: daarion-authd apikey create --actor-type agent|service --name NAME"
           " [--microdao ID] [--expires-days N | --no-expiry]\n"
           "       daarion-authd apikey list [--microdao ID] [--live]\n"
           "       daarion-authd apikey revoke ID\n"
           "options everywhere: --database-url URL (default $DATABASE_URL), --operator NAME\n";
    return 2;
}

int create(const QCommandLineParser &parser, store::Database &database)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    identity::ApiKeyRequest request;
    request.actorType = parser.value(QStringLiteral("actor-type"));
    request.actorName = parser.value(QStringLiteral("name"));
    request.microdaoId = parser.value(QStringLiteral("microdao"));
    if (request.actorType.isEmpty() || request.actorName.isEmpty())
        return usage(QStringLiteral("create needs --actor-type and --name"));
    if (parser.isSet(QStringLiteral("expires-days"))) {
        bool ok = false;
        const int days = parser.value(QStringLiteral("expires-days")).toInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--expires-days must be a whole number"));
        request.expiresInDays = days;
    }
    request.neverExpires = parser.isSet(QStringLiteral("no-expiry"));
    config::Settings settings;
    if (const QString ttl = qEnvironmentVariable("API_KEY_TTL"); !ttl.isEmpty()) {
        if (const QString error =
                config::applySetting(settings, QStringLiteral("API_KEY_TTL"), ttl);
            !error.isEmpty())
            return usage(error);
    }
    auto issued = identity::issueApiKeyFor(database, request, settings.apiKeyTtl,
                                           operatorAuditContext(parser));
    if (!issued) {
        err << "daarion-authd apikey: " << issued.error().message << "\n";
        return issued.error().code == identity::ErrorCode::InvalidRequest ? 2 : 1;
    }
    const store::ApiKeyRecord &key = issued->record;
    out << "id:       " << key.id.toString(QUuid::WithoutBraces) << "\n"
        << "actor:    " << key.actorId() << "\n"
        << "microdao: " << (key.microdaoId.isEmpty() ? QStringLiteral("-") : key.microdaoId) << "\n"
        << "expires:  " << (key.expiresAt.isValid() ? when(key.expiresAt) : QStringLiteral("never")) << "\n"
        << "The key is shown once; only its hash is kept:\n"
        << issued->key << "\n";
    return 0;
}

int list(const QCommandLineParser &parser, store::Database &database)
{
    QTextStream out(stdout);
    store::ApiKeyQuery query;
    query.microdaoId = parser.value(QStringLiteral("microdao"));
    query.includeInactive = !parser.isSet(QStringLiteral("live"));
    query.limit = 5000;
    auto keys = store::ApiKeyRepository(database).list(query);
    if (!keys) {
        QTextStream(stderr) << "daarion-authd apikey: " << keys.error().message << "\n";
        return 1;
    }
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n");
    out << format.arg(QStringLiteral("id"), -36)
               .arg(QStringLiteral("prefix"), -11)
               .arg(QStringLiteral("actor"), -24)
               .arg(QStringLiteral("microdao"), -20)
               .arg(QStringLiteral("created"), -20)
               .arg(QStringLiteral("last used"), -20)
               .arg(QStringLiteral("state"));
    for (const store::ApiKeyRecord &key : keys.value()) {
        out << format.arg(key.id.toString(QUuid::WithoutBraces), -36)
                   .arg(key.keyPrefix, -11)
                   .arg(key.actorId(), -24)
                   .arg(key.microdaoId.isEmpty() ? QStringLiteral("-") : key.microdaoId, -20)
                   .arg(when(key.createdAt), -20)
                   .arg(when(key.lastUsedAt), -20)
                   .arg(store::apiKeyStateName(key.state));
    }
    return 0;
}

int revoke(const QCommandLineParser &parser, store::Database &database)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usage(QStringLiteral("revoke needs exactly one key id"));
    const QUuid id = QUuid::fromString(positional.first());
    if (id.isNull())
        return usage(QStringLiteral("not a key id: ") + positional.first());
    auto revoked = store::ApiKeyRepository(database).revoke(id, QString(), operatorAuditContext(parser));
    if (!revoked) {
        QTextStream(stderr) << "daarion-authd apikey: "
                            << (revoked.kind() == store::StoreErrorKind::NotFound
                                    ? QStringLiteral("no live key with that id")
                                    : revoked.error().message)
                            << "\n";
        return 1;
    }
    QTextStream(stdout) << "revoked " << revoked->id.toString(QUuid::WithoutBraces) << " (" << revoked->actorId()
                        << ")\n";
    return 0;
}

} // namespace

int runApiKeyCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(1);
    if (verb != QLatin1String("create") && verb != QLatin1String("list") && verb != QLatin1String("revoke"))
        return usage(verb.isEmpty() ? QStringLiteral("which one: create, list or revoke?")
                                    : QStringLiteral("unknown command ") + verb);
    QCommandLineParser parser;
    addOperatorOptions(parser);
    if (verb == QLatin1String("create")) {
        parser.addOption({QStringLiteral("actor-type"), QStringLiteral("agent or service"), QStringLiteral("TYPE")});
        parser.addOption({QStringLiteral("name"), QStringLiteral("the agent's or service's name"), QStringLiteral("NAME")});
        parser.addOption({QStringLiteral("expires-days"), QStringLiteral("lifetime in days"), QStringLiteral("N")});
        parser.addOption({QStringLiteral("no-expiry"), QStringLiteral("the key never expires")});
    }
    if (verb != QLatin1String("revoke"))
        parser.addOption({QStringLiteral("microdao"), QStringLiteral("microdao:<id>"), QStringLiteral("ID")});
    if (verb == QLatin1String("list"))
        parser.addOption({QStringLiteral("live"), QStringLiteral("only keys that still work")});
    QStringList argv = arguments.mid(1);
    argv[0] = QStringLiteral("daarion-authd apikey ") + verb;
    if (!parser.parse(argv))
        return usage(parser.errorText());
    if (verb != QLatin1String("revoke") && !parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument ") + parser.positionalArguments().first());

    const auto parameters = operatorDatabase(parser, QStringLiteral("apikey"));
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
