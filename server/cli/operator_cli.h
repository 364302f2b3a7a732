#pragma once
// What the operator subcommands (apikey, membership) share: the database
// from --database-url or DATABASE_URL, and who is acting for the audit trail
// (--operator, else $USER; recorded as operator:<name>).

#include "shared/config/settings.h"
#include "shared/store/audit_repository.h"
#include "shared/store/database.h"
#include "shared/store/database_url.h"

#include <QCommandLineParser>
#include <QString>

#include <initializer_list>
#include <optional>

namespace daarion::server {

// Adds --database-url and --operator to a parser.
void addOperatorOptions(QCommandLineParser &parser);

// The connection parameters, or nothing after printing why to stderr
// (`command` names the subcommand in the message).
std::optional<store::ConnectionParameters> operatorDatabase(const QCommandLineParser &parser, const QString &command);

store::AuditContext operatorAuditContext(const QCommandLineParser &parser);

// A refusal as the JSON-speaking commands print it: {"error", "message"} on
// stdout, "daarion-authd COMMAND: refused (CODE): MESSAGE" on stderr.
// Returns the exit code, 1.
int printRefusal(const QString &command, const QString &code, const QString &message);

// 0 when the database is migrated to this build, else printRefusal's 1
// (unavailable, or not_migrated).
int refuseUnlessMigrated(store::Database &database, const QString &command);

// Applies those of `variables` that are set in the environment, checked as
// the daemon checks them; false after printing the bad one to stderr.
bool applyEnvironmentSettings(config::Settings &settings, std::initializer_list<const char *> variables,
                              const QString &command);

} // namespace daarion::server
