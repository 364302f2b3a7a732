#include "console/console_options.h"

#include "console/common/operator_identity.h"

#include "shared/config/settings.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace daarion::console {

std::optional<ConsoleOptions> parseConsoleOptions(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Operator console for daarion-auth: users, passkeys, sessions, memberships, API keys and the audit "
        "trail.\nConnects to DATABASE_URL, or asks for the connection."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption operatorOption(QStringLiteral("operator"),
                                            QStringLiteral("Operator name written into the audit trail "
                                                           "(default: the OS user name)."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption readOnlyOption(QStringLiteral("read-only"),
                                            QStringLiteral("Browse only: every action is hidden."));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save a PNG of the main window once loaded, then quit."),
                                              QStringLiteral("FILE"));
    const QStringList views{QStringLiteral("users"),    QStringLiteral("passkeys"),
                            QStringLiteral("sessions"), QStringLiteral("access"),
                            QStringLiteral("audit"),    QStringLiteral("authenticators")};
    const QCommandLineOption viewOption(QStringLiteral("view"),
                                        QStringLiteral("The view to open on: ") + views.join(QStringLiteral(", ")) +
                                            QStringLiteral(" (default: users)."),
                                        QStringLiteral("NAME"), QStringLiteral("users"));
    const QCommandLineOption publicUrlOption(
        QStringLiteral("public-url"),
        QStringLiteral("Where enrollment links open (default: $PUBLIC_URL, "
                       "else the first of $ORIGIN, as the daemon)."),
        QStringLiteral("URL"));
    parser.addOptions(
        {operatorOption, readOnlyOption, viewOption, screenshotOption, publicUrlOption});
    parser.process(arguments); // --help, --version and unknown options end here

    ConsoleOptions options;
    options.operatorName = parser.isSet(operatorOption) ? parser.value(operatorOption).trimmed()
                                                        : OperatorIdentity::systemUserName();
    // The audit column holds 128 characters with "operator:" in front.
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_.@-]{1,64}$"));
    if (!parser.isSet(operatorOption)) { // an OS name with spaces or accents still identifies someone
        static const QRegularExpression other(QStringLiteral("[^A-Za-z0-9_.@-]"));
        options.operatorName = options.operatorName.replace(other, QStringLiteral("_")).left(64);
    }
    if (!allowed.match(options.operatorName).hasMatch()) {
        if (error)
            *error = QStringLiteral("--operator: 1 to 64 of A-Z a-z 0-9 _ . @ -");
        return std::nullopt;
    }
    options.readOnly = parser.isSet(readOnlyOption);
    options.view = parser.value(viewOption);
    if (!views.contains(options.view)) {
        if (error)
            *error = QStringLiteral("--view: one of ") + views.join(QStringLiteral(", "));
        return std::nullopt;
    }
    options.screenshotPath = parser.value(screenshotOption);

    // The daemon's own rules for ORIGIN and PUBLIC_URL, so a link from the
    // console and one from the CLI point at the same place.
    config::Settings settings;
    QList<QPair<QString, QString>> values;
    if (const QString origin = qEnvironmentVariable("ORIGIN"); !origin.isEmpty())
        values.append({QStringLiteral("ORIGIN"), origin});
    if (parser.isSet(publicUrlOption))
        values.append({QStringLiteral("PUBLIC_URL"), parser.value(publicUrlOption)});
    else if (const QString url = qEnvironmentVariable("PUBLIC_URL"); !url.isEmpty())
        values.append({QStringLiteral("PUBLIC_URL"), url});
    for (const auto &[variable, value] : values) {
        if (const QString problem = config::applySetting(settings, variable, value);
            !problem.isEmpty()) {
            if (error)
                *error = problem;
            return std::nullopt;
        }
    }
    options.publicUrl = settings.effectivePublicUrl();
    return options;
}

} // namespace daarion::console
