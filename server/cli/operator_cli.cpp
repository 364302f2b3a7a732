#include "server/cli/operator_cli.h"

#include "shared/store/migrator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace daarion::server {

void addOperatorOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("database-url"), QStringLiteral("postgresql://… (default: $DATABASE_URL)"),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("operator"),
                      QStringLiteral("Who acts, for the audit trail (default: $USER)"), QStringLiteral("NAME")});
}

std::optional<store::ConnectionParameters> operatorDatabase(const QCommandLineParser &parser, const QString &command)
{
    QTextStream err(stderr);
    const QString url = parser.isSet(QStringLiteral("database-url")) ? parser.value(QStringLiteral("database-url"))
                                                                     : qEnvironmentVariable("DATABASE_URL");
    if (url.isEmpty()) {
        err << "daarion-authd " << command << ": no database: set DATABASE_URL or pass --database-url\n";
        return std::nullopt;
    }
    auto parameters = store::parseDatabaseUrl(url);
    if (!parameters) {
        err << "daarion-authd " << command << ": " << parameters.error().message << "\n";
        return std::nullopt;
    }
    return parameters.value();
}

store::AuditContext operatorAuditContext(const QCommandLineParser &parser)
{
    QString name = parser.value(QStringLiteral("operator")).trimmed();
    if (name.isEmpty())
        name = qEnvironmentVariable("USER").trimmed();
    if (name.isEmpty())
        name = QStringLiteral("cli");
    // The audit row keeps the name: keep it a short single line.
    name = name.left(64).simplified();
    return store::AuditContext{store::actorForOperator(name), QString(), QStringLiteral("daarion-authd cli")};
}

int printRefusal(const QString &command, const QString &code, const QString &message)
{
    QTextStream(stdout) << QJsonDocument(QJsonObject{{QStringLiteral("error"), code},
                                                     {QStringLiteral("message"), message}})
                               .toJson(QJsonDocument::Indented);
    QTextStream(stderr) << "daarion-authd " << command << ": refused (" << code << "): " << message << "\n";
    return 1;
}

int refuseUnlessMigrated(store::Database &database, const QString &command)
{
    auto current = store::Migrator(database).isCurrent();
    if (!current)
        return printRefusal(command, QStringLiteral("unavailable"), current.error().message);
    if (!*current)
        return printRefusal(command, QStringLiteral("not_migrated"),
                            QStringLiteral("the database is not migrated to this version: run daarion-authd migrate"));
    return 0;
}

bool applyEnvironmentSettings(config::Settings &settings, std::initializer_list<const char *> variables,
                              const QString &command)
{
    for (const char *variable : variables) {
        const QString value = qEnvironmentVariable(variable);
        if (value.isEmpty())
            continue;
        if (QString error = config::applySetting(settings, QString::fromLatin1(variable), value); !error.isEmpty()) {
            QTextStream(stderr) << "daarion-authd " << command << ": " << error << "\n";
            return false;
        }
    }
    return true;
}

} // namespace daarion::server
