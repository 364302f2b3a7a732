#pragma once
// The console's command line.
//   --operator NAME   who is acting, for the audit trail (default: the OS user name)
//   --read-only       browse only: no action is offered
//   --view NAME       open on users | passkeys | sessions | access | audit
//   --screenshot FILE save a PNG of the main window once loaded, then quit
//   --public-url URL  where enrollment links open (default: $PUBLIC_URL, else
//                     the first of $ORIGIN, else http://localhost:3000, as the daemon)

#include <QString>
#include <QStringList>

#include <optional>

namespace daarion::console {

struct ConsoleOptions {
    QString operatorName;
    bool readOnly = false;
    QString view = QStringLiteral("users");
    QString screenshotPath;
    QString publicUrl;
};

// Exits the process for --help and --version (QCommandLineParser's way);
// nullopt with `error` set for a bad command line.
std::optional<ConsoleOptions> parseConsoleOptions(const QStringList &arguments, QString *error);

} // namespace daarion::console
