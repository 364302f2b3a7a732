#pragma once
// What the operator subcommands (apikey, membership) share: the database
// from --database-url or DATABASE_URL, and who is acting for the audit trail
// (--operator, else $USER; recorded as operator:<name>).

#include "shared/store/audit_repository.h"
#include "shared/store/database_url.h"

#include <QCommandLineParser>
#include <QString>

#include <optional>

namespace daarion::server {

// Adds --database-url and --operator to a parser.
void addOperatorOptions(QCommandLineParser &parser);

// The connection parameters, or nothing after printing why to stderr
// (`command` names the subcommand in the message).
std::optional<store::ConnectionParameters> operatorDatabase(const QCommandLineParser &parser, const QString &command);

store::AuditContext operatorAuditContext(const QCommandLineParser &parser);

} // namespace daarion::server
