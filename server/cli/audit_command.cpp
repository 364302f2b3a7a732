// daarion-authd audit key [--signing-key FILE]
// daarion-authd audit verify [--public-key FILE]...
// daarion-authd audit export [--since TIME] [--follow]
// daarion-authd audit checkpoint [--signing-key FILE] [--retention-days N]
// The tamper-evident audit trail from the operator's side (docs/AUDIT.md).
// key prints the public key of AUDIT_SIGNING_KEY (PEM) for those who verify;
// verify walks the chain and prints one JSON object (exit 0 intact, 1 not);
// export writes JSON lines, one per chained event with its checkpoint and
// Merkle audit path, and with --follow keeps going as checkpoints appear
// (LISTEN audit_checkpoints); checkpoint makes them now, as the daemon's job
// does. Exit 2 for usage errors, 1 when the database or a key refuses.

#include "server/cli/audit_json.h"
#include "server/cli/commands.h"
#include "server/cli/operator_cli.h"

#include "shared/audit/signing_key.h"
#include "shared/store/audit_chain_check.h"
#include "shared/store/audit_checkpoint_repository.h"
#include "shared/store/audit_export.h"
#include "shared/store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace daarion::server
{

namespace
{

const QString checkpointChannel = QStringLiteral("audit_checkpoints");

int usage(const QString &message)
{
    QTextStream(stderr)
        << "daarion-authd audit: " << message << "\n"
        << "usage: daarion-authd audit key [--signing-key FILE]\n"
           "       daarion-authd audit verify [--public-key FILE]...\n"
           "       daarion-authd audit export [--since TIME] [--follow]\n"
           "       daarion-authd audit checkpoint [--signing-key FILE] [--retention-days N]\n"
           "options: --database-url URL (default $DATABASE_URL); --signing-key defaults to\n"
           "$AUDIT_SIGNING_KEY, --retention-days to $AUDIT_RETENTION_DAYS (0: keep all)\n";
    return 2;
}

int failed(const QString &message)
{
    QTextStream(stderr) << "daarion-authd audit: " << message << "\n";
    return 1;
}

void printJson(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
}

QString signingKeyPath(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("signing-key")) ? parser.value(QStringLiteral("signing-key"))
                                                       : qEnvironmentVariable("AUDIT_SIGNING_KEY");
}

int printPublicKey(const QCommandLineParser &parser)
{
    const QString path = signingKeyPath(parser);
    if (path.isEmpty())
        return usage(QStringLiteral("no signing key: set AUDIT_SIGNING_KEY or pass --signing-key"));
    const auto key = audit::AuditSigningKey::fromPemFile(path);
    if (!key)
        return failed(key.error());
    const QByteArray pem = key->publicKey().pem();
    std::fwrite(pem.constData(), 1, size_t(pem.size()), stdout);
    return 0;
}

int verify(const QCommandLineParser &parser, store::Database &database)
{
    audit::VerifyPolicy policy;
    for (const QString &path : parser.values(QStringLiteral("public-key"))) {
        auto key = audit::AuditPublicKey::fromPemFile(path);
        if (!key)
            return usage(key.error());
        policy.trustedKeys.append(*key);
    }
    const auto report = store::verifyAuditChain(database, policy);
    if (!report) {
        printJson({{QStringLiteral("intact"), QJsonValue(QJsonValue::Null)},
                   {QStringLiteral("error"), store::storeErrorKindName(report.kind())},
                   {QStringLiteral("message"),
                    QStringLiteral("could not read the audit trail: ") + report.error().message}});
        return 1;
    }
    printJson(chainReportJson(*report));
    return report->intact() ? 0 : 1;
}

int makeCheckpoints(const QCommandLineParser &parser, store::Database &database)
{
    std::optional<audit::AuditSigningKey> key;
    if (const QString path = signingKeyPath(parser); !path.isEmpty()) {
        auto loaded = audit::AuditSigningKey::fromPemFile(path);
        if (!loaded)
            return failed(loaded.error());
        key = *loaded;
    }
    const QString retention =
        parser.isSet(QStringLiteral("retention-days"))
            ? parser.value(QStringLiteral("retention-days"))
            : qEnvironmentVariable("AUDIT_RETENTION_DAYS", QStringLiteral("0"));
    bool ok = false;
    const int retentionDays = retention.toInt(&ok);
    if (!ok || retentionDays < 0 || retentionDays > 36'500)
        return usage(QStringLiteral("--retention-days must be a whole number from 0 to 36500"));

    store::CheckpointPolicy policy;
    policy.signingKey = key ? &*key : nullptr;
    policy.retentionDays = retentionDays;
    QJsonArray made;
    qint64 prunedRows = 0;
    std::optional<qint64> prunedThrough;
    bool busy = false;
    QJsonArray unmatched;
    // The job's batches, until caught up.
    for (;;) {
        const auto run = store::AuditCheckpointRepository(database).makeCheckpoints(policy);
        if (!run)
            return failed(run.error().message);
        busy = run->lockBusy;
        for (const audit::Checkpoint &checkpoint : run->made)
            made.append(checkpointJson(checkpoint));
        for (qint64 id : run->unmatchedRows)
            unmatched.append(id);
        prunedRows += run->prunedRows;
        if (run->prunedThrough)
            prunedThrough = run->prunedThrough;
        if (run->caughtUp || busy)
            break;
    }
    printJson({{QStringLiteral("busy"), busy},
               {QStringLiteral("made"), made},
               {QStringLiteral("pruned_rows"), prunedRows},
               {QStringLiteral("pruned_through"),
                prunedThrough ? QJsonValue(*prunedThrough) : QJsonValue(QJsonValue::Null)},
               {QStringLiteral("unmatched_rows"), unmatched}});
    return 0;
}

// Exports what is chained after `afterNo`; false (with a message once) when the database refused.
bool exportAfter(store::Database &database, qint64 &afterNo, const QDateTime &since,
                 bool &reportedFailure)
{
    const auto done =
        store::exportChainedEvents(database, afterNo, since, [](const store::ExportedEvent &event) {
            printJson(exportedEventJson(event));
        });
    std::fflush(stdout); // a SIEM reading the pipe sees each checkpoint at once
    if (!done) {
        if (!reportedFailure)
            QTextStream(stderr) << "daarion-authd audit export: " << done.error().message
                                << " (retrying)\n";
        reportedFailure = true;
        return false;
    }
    if (reportedFailure)
        QTextStream(stderr) << "daarion-authd audit export: the database answers again\n";
    reportedFailure = false;
    afterNo = *done;
    return true;
}

int exportEvents(const QCommandLineParser &parser, store::Database &database)
{
    QDateTime since;
    if (parser.isSet(QStringLiteral("since"))) {
        since = QDateTime::fromString(parser.value(QStringLiteral("since")), Qt::ISODateWithMs);
        if (!since.isValid())
            return usage(
                QStringLiteral("--since takes an RFC 3339 time such as 2026-01-31T00:00:00Z"));
    }
    const auto start = store::exportStartingPoint(database, since);
    if (!start)
        return failed(start.error().message);
    qint64 afterNo = *start;
    bool reportedFailure = false;
    if (!exportAfter(database, afterNo, since, reportedFailure))
        return 1;
    if (!parser.isSet(QStringLiteral("follow")))
        return 0;

    // A checkpoint's NOTIFY wakes the export; a slow poll covers a missed
    // one and subscribes again after the connection was lost. SIGTERM or
    // SIGINT end it: every line already written was flushed.
    const auto drain = [&] {
        QSqlDriver *driver = database.connection().driver();
        if (database.open().ok() &&
            !driver->subscribedToNotifications().contains(checkpointChannel))
            driver->subscribeToNotification(checkpointChannel);
        exportAfter(database, afterNo, since, reportedFailure);
    };
    QObject::connect(database.connection().driver(), &QSqlDriver::notification,
                     QCoreApplication::instance(), [&](const QString &channel) {
                         if (channel == checkpointChannel)
                             drain();
                     });
    QTimer poll;
    poll.setInterval(5'000);
    QObject::connect(&poll, &QTimer::timeout, QCoreApplication::instance(), drain);
    poll.start();
    drain();
    return QCoreApplication::exec();
}

} // namespace

int runAuditCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(1);
    static const QStringList verbs{QStringLiteral("key"), QStringLiteral("verify"),
                                   QStringLiteral("export"), QStringLiteral("checkpoint")};
    if (!verbs.contains(verb))
        return usage(verb.isEmpty()
                         ? QStringLiteral("which one: key, verify, export or checkpoint?")
                         : QStringLiteral("unknown command ") + verb);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("database-url"),
                      QStringLiteral("postgresql://… (default: $DATABASE_URL)"),
                      QStringLiteral("URL")});
    if (verb == QLatin1String("key") || verb == QLatin1String("checkpoint"))
        parser.addOption({QStringLiteral("signing-key"),
                          QStringLiteral("Ed25519 private key, PEM (default: $AUDIT_SIGNING_KEY)"),
                          QStringLiteral("FILE")});
    if (verb == QLatin1String("checkpoint"))
        parser.addOption(
            {QStringLiteral("retention-days"),
             QStringLiteral(
                 "delete rows of checkpoints older than this (default: $AUDIT_RETENTION_DAYS)"),
             QStringLiteral("N")});
    if (verb == QLatin1String("verify"))
        parser.addOption({QStringLiteral("public-key"),
                          QStringLiteral("trust only this Ed25519 public key (PEM); may repeat"),
                          QStringLiteral("FILE")});
    if (verb == QLatin1String("export")) {
        parser.addOption({QStringLiteral("since"),
                          QStringLiteral("only events at or after this time (RFC 3339)"),
                          QStringLiteral("TIME")});
        parser.addOption(
            {QStringLiteral("follow"), QStringLiteral("keep exporting as checkpoints are made")});
    }
    QStringList argv = arguments.mid(1);
    argv[0] = QStringLiteral("daarion-authd audit ") + verb;
    if (!parser.parse(argv))
        return usage(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument ") + parser.positionalArguments().first());

    if (verb == QLatin1String("key"))
        return printPublicKey(parser);

    const auto parameters = operatorDatabase(parser, QStringLiteral("audit"));
    if (!parameters)
        return 2;
    store::Database database(*parameters);
    if (verb == QLatin1String("verify"))
        return verify(parser, database);
    if (verb == QLatin1String("checkpoint"))
        return makeCheckpoints(parser, database);
    return exportEvents(parser, database);
}

} // namespace daarion::server
