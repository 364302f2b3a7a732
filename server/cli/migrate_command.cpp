// daarion-authd migrate [--database-url URL] [--status]
// Applies pending migrations (embedded in the binary) to DATABASE_URL's
// database and says what it did; --status only reports.

#include "server/cli/commands.h"

#include "shared/store/database.h"
#include "shared/store/database_url.h"
#include "shared/store/migrator.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace daarion::server {

int runMigrateCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Apply pending database migrations."));
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("database-url"),
                                       QStringLiteral("postgresql://… (default: $DATABASE_URL)"),
                                       QStringLiteral("URL"));
    const QCommandLineOption statusOption(QStringLiteral("status"),
                                          QStringLiteral("List applied and pending migrations; change nothing."));
    parser.addOption(urlOption);
    parser.addOption(statusOption);
    QStringList argv = arguments;
    if (!argv.isEmpty())
        argv[0] = QStringLiteral("daarion-authd migrate");
    if (!parser.parse(argv)) {
        err << "daarion-authd migrate: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "daarion-authd migrate: unexpected argument " << parser.positionalArguments().first() << "\n";
        return 2;
    }
    const QString url = parser.isSet(urlOption) ? parser.value(urlOption) : qEnvironmentVariable("DATABASE_URL");
    if (url.isEmpty()) {
        err << "daarion-authd migrate: no database: set DATABASE_URL or pass --database-url\n";
        return 2;
    }
    auto parameters = store::parseDatabaseUrl(url);
    if (!parameters) {
        err << "daarion-authd migrate: " << parameters.error().message << "\n";
        return 2;
    }

    int status = 0;
    {
        store::Database database(*parameters);
        store::Migrator migrator(database);
        if (parser.isSet(statusOption)) {
            auto pending = migrator.pending();
            if (!pending) {
                err << "daarion-authd migrate: " << pending.error().message << "\n";
                status = 1;
            } else {
                for (const store::Migration &migration : *pending)
                    out << "pending " << migration.name << "\n";
                out << (pending->isEmpty() ? "database is current\n" : "database needs migrating\n");
                status = pending->isEmpty() ? 0 : 1;
            }
        } else {
            auto applied = migrator.migrate();
            if (!applied) {
                err << "daarion-authd migrate: " << applied.error().message << "\n";
                status = 1;
            } else {
                for (const store::Migration &migration : *applied)
                    out << "applied " << migration.name << "\n";
                out << "database " << parameters->redacted() << " is current ("
                    << store::Migrator::embeddedMigrations().size() << " migrations, " << applied->size()
                    << " applied now)\n";
            }
        }
    }
    return status;
}

} // namespace daarion::server
