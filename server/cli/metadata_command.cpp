// daarion-authd metadata import FILE [--force]
// daarion-authd metadata status
// The operator's hands on authenticator metadata. import checks a FIDO MDS3
// BLOB the operator downloaded (curl https://mds3.fidoalliance.org/ > blob.jwt)
// against MDS_ROOT_CERT (default: the FIDO Alliance root shipped inside),
// then replaces the stored metadata in one transaction, flagging passkeys of
// newly compromised models (METADATA_ACTION=disable also disables them). The
// daemon never fetches the network. One JSON object on stdout either way;
// exit 0 done, 1 refused (the JSON and stderr say why), 2 usage.

#include "server/cli/commands.h"
#include "server/cli/operator_cli.h"

#include "shared/config/settings.h"
#include "shared/core/clock.h"
#include "shared/metadata/metadata_blob_verifier.h"
#include "shared/store/database.h"
#include "shared/store/metadata_repository.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace daarion::server
{

namespace
{

int usage(const QString &message)
{
    QTextStream(stderr)
        << "daarion-authd metadata: " << message << "\n"
        << "usage: daarion-authd metadata import FILE [--force]\n"
           "       daarion-authd metadata status\n"
           "options everywhere: --database-url URL (default $DATABASE_URL), --operator NAME\n"
           "settings read: MDS_ROOT_CERT (PEM roots; default the shipped FIDO root),"
           " METADATA_ACTION (flag|disable)\n"
           "the BLOB: curl -fsS https://mds3.fidoalliance.org/ -o blob.jwt\n";
    return 2;
}

void printJson(const QJsonObject &object)
{
    QTextStream(stdout) << QJsonDocument(object).toJson(QJsonDocument::Indented);
}

int refuse(const QString &code, const QString &message)
{
    return printRefusal(QStringLiteral("metadata"), code, message);
}

int refuse(const metadata::MetadataError &error)
{
    return refuse(metadata::metadataErrorName(error.code), error.message);
}

QJsonValue dateJson(const QDate &date)
{
    return date.isValid() ? QJsonValue(date.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs))
                          : QJsonValue(QJsonValue::Null);
}

// MDS_ROOT_CERT and METADATA_ACTION from the environment, checked as the daemon checks them.
std::optional<config::Settings> metadataSettings()
{
    config::Settings settings;
    if (!applyEnvironmentSettings(settings, {"MDS_ROOT_CERT", "METADATA_ACTION"}, QStringLiteral("metadata")))
        return std::nullopt;
    return settings;
}

int importBlob(const QCommandLineParser &parser, const store::ConnectionParameters &parameters)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return usage(QStringLiteral("import needs exactly one FILE"));
    const auto settings = metadataSettings();
    if (!settings)
        return 2;
    auto roots = metadata::MdsRoots::load(settings->mdsRootCertificateFile);
    if (!roots)
        return refuse(roots.error());

    // Bounded before anything is read.
    QFile file(positional.at(1));
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("unreadable"),
                      file.fileName() + QStringLiteral(": ") + file.errorString());
    if (file.size() > metadata::kMaxBlobBytes)
        return refuse(metadata::metadataError(
            metadata::MetadataErrorCode::TooLarge,
            QStringLiteral("%1 bytes, at most %2").arg(file.size()).arg(metadata::kMaxBlobBytes)));
    const QByteArray bytes = file.read(metadata::kMaxBlobBytes + 1);

    const QDateTime now = core::Clock::system().now();
    auto blob = metadata::readMetadataBlob(bytes, *roots, now);
    if (!blob)
        return refuse(blob.error());

    store::Database database(parameters);
    if (int refused = refuseUnlessMigrated(database, QStringLiteral("metadata")); refused != 0)
        return refused;
    store::MetadataImportRequest request;
    request.force = parser.isSet(QStringLiteral("force"));
    request.action = settings->metadataAction;
    request.at = now;
    request.context = operatorAuditContext(parser);
    auto imported = store::MetadataRepository(database).import(*blob, request);
    if (!imported) {
        if (imported.kind() == store::StoreErrorKind::Conflict)
            return refuse(metadata::metadataError(metadata::MetadataErrorCode::NotNewer,
                                                  imported.error().message));
        return refuse(store::storeErrorKindName(imported.kind()), imported.error().message);
    }
    QJsonArray warnings;
    for (const QString &warning : blob->warnings)
        warnings.append(warning);
    printJson(QJsonObject{
        {QStringLiteral("imported"), true},
        {QStringLiteral("no"), imported->number},
        {QStringLiteral("previous_no"), imported->previousNumber
                                            ? QJsonValue(*imported->previousNumber)
                                            : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("next_update"), dateJson(blob->nextUpdate)},
        {QStringLiteral("entries"), imported->entries},
        {QStringLiteral("skipped_entries"), blob->skippedEntries},
        {QStringLiteral("flagged_passkeys"), imported->flaggedPasskeys},
        {QStringLiteral("disabled_passkeys"), imported->disabledPasskeys},
        {QStringLiteral("cleared_passkeys"), imported->clearedPasskeys},
        {QStringLiteral("ended_sessions"), imported->endedSessions},
        {QStringLiteral("metadata_action"),
         settings->metadataAction == config::MetadataAction::Disable ? QStringLiteral("disable")
                                                                     : QStringLiteral("flag")},
        {QStringLiteral("stale"), now.date() > blob->nextUpdate},
        {QStringLiteral("warnings"), warnings}});
    return 0;
}

int status(const QCommandLineParser &parser, const store::ConnectionParameters &parameters)
{
    if (parser.positionalArguments().size() != 1)
        return usage(QStringLiteral("status takes no arguments"));
    store::Database database(parameters);
    if (int refused = refuseUnlessMigrated(database, QStringLiteral("metadata")); refused != 0)
        return refused;
    auto state = store::MetadataRepository(database).state();
    if (!state)
        return refuse(store::storeErrorKindName(state.kind()), state.error().message);
    const QDateTime now = core::Clock::system().now();
    if (!state->has_value()) {
        printJson(QJsonObject{{QStringLiteral("no"), QJsonValue::Null},
                              {QStringLiteral("next_update"), QJsonValue::Null},
                              {QStringLiteral("entries"), 0},
                              {QStringLiteral("imported_at"), QJsonValue::Null},
                              {QStringLiteral("imported_by"), QJsonValue::Null},
                              {QStringLiteral("stale"), true}});
        return 0;
    }
    const store::MetadataState &current = state->value();
    printJson(QJsonObject{{QStringLiteral("no"), current.number},
                          {QStringLiteral("next_update"), dateJson(current.nextUpdate)},
                          {QStringLiteral("entries"), current.entries},
                          {QStringLiteral("imported_at"), timeJson(current.importedAt)},
                          {QStringLiteral("imported_by"), current.importedBy},
                          {QStringLiteral("stale"), current.staleAt(now)}});
    return 0;
}

} // namespace

int runMetadataCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    addOperatorOptions(parser);
    parser.addOption(
        {QStringLiteral("force"),
         QStringLiteral("Import even when the BLOB's no is not above the stored one.")});
    parser.addPositionalArgument(QStringLiteral("import|status"), QStringLiteral("what to do"));
    QStringList argv = arguments;
    if (!argv.isEmpty())
        argv[0] = QStringLiteral("daarion-authd metadata");
    if (!parser.parse(argv))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (action != QLatin1String("import") && action != QLatin1String("status"))
        return usage(action.isEmpty() ? QStringLiteral("say import or status")
                                      : QStringLiteral("unknown action ") + action);
    if (action == QLatin1String("status") && parser.isSet(QStringLiteral("force")))
        return usage(QStringLiteral("--force is for import"));
    const auto parameters = operatorDatabase(parser, QStringLiteral("metadata"));
    if (!parameters)
        return 2;
    return action == QLatin1String("import") ? importBlob(parser, *parameters)
                                             : status(parser, *parameters);
}

} // namespace daarion::server
