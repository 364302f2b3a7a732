#pragma once
// daarion-authd's subcommands. main.cpp only picks one; each lives in its own
// file. Every command returns the process exit code (0 ok, 1 refused or
// failed, 2 usage).

#include <QStringList>

namespace daarion::server {

int runServeCommand(const QStringList &arguments);     // serve_command.cpp (default)
int runMigrateCommand(const QStringList &arguments);   // migrate_command.cpp
int runVerifyCommand(const QStringList &arguments);    // verify_command.cpp
int runApiKeyCommand(const QStringList &arguments);    // apikey_command.cpp
int runMembershipCommand(const QStringList &arguments); // membership_command.cpp
int runAuditCommand(const QStringList &arguments);      // audit_command.cpp
int runMetadataCommand(const QStringList &arguments);   // metadata_command.cpp
int runEnrollCommand(const QStringList &arguments);     // enroll_command.cpp

} // namespace daarion::server
