// daarion-authd serve: settings → database → migrations → HTTP server →
// periodic sweep. SIGTERM/SIGINT stop accepting, let requests in flight
// finish, and exit 0.

#include "server/cli/commands.h"

#include "server/http/api_server.h"
#include "server/http/demo_pages.h"
#include "server/http/metrics.h"
#include "server/http/rate_limiter.h"
#include "server/http/service_context.h"
#include "server/http/tls_configuration.h"
#include "server/jobs/audit_checkpoint_job.h"
#include "server/routes/routes.h"
#include "shared/config/settings.h"
#include "shared/metadata/mds_roots.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/database.h"
#include "shared/store/metadata_repository.h"
#include "shared/store/migrator.h"
#include "shared/store/session_repository.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace daarion::server {

namespace {

int g_signalSocket = -1; // write end, for the async-signal-safe handler

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalSocket, &byte, 1);
}

void log(const QString &line)
{
    std::fprintf(stderr, "daarion-authd: %s\n", qPrintable(line));
    std::fflush(stderr);
}

// Replicas may start together and PostgreSQL may still be starting: retry
// an unreachable database for a while; any other failure stops the start.
bool migrateOnStart(const store::ConnectionParameters &parameters)
{
    const QDeadlineTimer deadline(30'000);
    bool reportedWait = false;
    store::Database database(parameters);
    for (;;) {
        store::Migrator migrator(database);
        const auto applied = migrator.migrate();
        if (applied.ok()) {
            for (const store::Migration &migration : *applied)
                log(QStringLiteral("applied migration %1").arg(migration.name));
            return true;
        }
        if (applied.kind() != store::StoreErrorKind::Unavailable || deadline.hasExpired()) {
            log(QStringLiteral("DATABASE_URL: migration failed: %1").arg(applied.error().message));
            return false;
        }
        if (!reportedWait) {
            log(QStringLiteral("waiting for the database (%1)").arg(applied.error().message));
            reportedWait = true;
        }
        QThread::msleep(500);
    }
}

Readiness checkReadiness(const store::ConnectionParameters &parameters)
{
    store::Database &database = store::Database::forThisThread(parameters);
    const auto ping = database.ping();
    if (!ping.ok())
        return {false, QStringLiteral("database unreachable")};
    store::Migrator migrator(database);
    const auto current = migrator.isCurrent();
    if (!current.ok())
        return {false, QStringLiteral("cannot read the schema version")};
    if (!*current)
        return {false, QStringLiteral("database migrations are pending")};
    return {true, {}};
}

// What /metrics says of the imported authenticator metadata, read again on
// every sweep: another replica or the CLI may have imported meanwhile.
void refreshMetadataGauges(store::Database &database, Metrics &metrics)
{
    const auto state = store::MetadataRepository(database).state();
    if (!state.ok())
        return; // keep the last known values; the sweep logs database trouble
    if (!state->has_value()) {
        metrics.setMetadata(std::nullopt);
        return;
    }
    const store::MetadataState &current = state->value();
    const QDateTime now = database.now();
    metrics.setMetadata(Metrics::MetadataGauges{
        current.number, QDateTime(current.nextUpdate, QTime(0, 0), Qt::UTC).toSecsSinceEpoch(),
        current.importedAt.toSecsSinceEpoch(), current.entries, current.staleAt(now)});
}

void sweep(const store::ConnectionParameters &parameters, Metrics &metrics)
{
    store::Database &database = store::Database::forThisThread(parameters);
    refreshMetadataGauges(database, metrics);
    const auto challenges = store::ChallengeRepository(database).sweepExpired();
    const auto sessions = store::SessionRepository(database).sweepExpired();
    if (!challenges.ok() || !sessions.ok()) {
        log(QStringLiteral("sweep failed: %1")
                .arg(!challenges.ok() ? challenges.error().message : sessions.error().message));
        return;
    }
    if (*challenges > 0 || *sessions > 0)
        log(QStringLiteral("swept %1 expired challenges, %2 old sessions").arg(*challenges).arg(*sessions));
}

} // namespace

int runServeCommand(const QStringList &arguments)
{
    const config::SettingsOutcome outcome = config::loadSettings(QProcessEnvironment::systemEnvironment(), arguments);
    if (outcome.helpRequested) {
        std::fputs(qPrintable(config::settingsHelp()), stdout);
        return 0;
    }
    if (!outcome.settings) {
        log(outcome.error);
        return 2;
    }
    config::Settings settings = *outcome.settings;

    const auto parameters = store::parseDatabaseUrl(settings.databaseUrl);
    if (!parameters.ok()) {
        log(QStringLiteral("DATABASE_URL: %1").arg(parameters.error().message));
        return 2;
    }
    QString tlsError;
    const std::optional<QSslConfiguration> tls = loadTlsConfiguration(settings, &tlsError);
    if (!tlsError.isEmpty()) {
        log(tlsError);
        return 2;
    }
    if (settings.demo) {
        if (!demoPagesAvailable())
            log(QStringLiteral("DEMO: this build has no demo page (server/demo was empty)"));
        // The demo page calls the API from the daemon's own origin.
        const QString scheme = settings.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http");
        for (const char *host : {"localhost", "127.0.0.1"}) {
            const QString origin = QStringLiteral("%1://%2:%3").arg(scheme, QLatin1String(host)).arg(settings.port);
            if (!settings.allowedOrigins.contains(origin))
                settings.allowedOrigins.append(origin);
        }
    }

    std::optional<audit::AuditSigningKey> auditKey;
    if (!settings.auditSigningKeyFile.isEmpty()) {
        auto key = audit::AuditSigningKey::fromPemFile(settings.auditSigningKeyFile);
        if (!key) {
            log(QStringLiteral("AUDIT_SIGNING_KEY: %1").arg(key.error()));
            return 2;
        }
        auditKey = *key;
    } else if (settings.environment == config::Environment::Production) {
        log(QStringLiteral(
            "AUDIT_SIGNING_KEY is not set: audit checkpoints are chained but not signed"));
    }

    // MDS_ROOT_CERT is used by `metadata import`; a file that holds no
    // certificate is refused here too, so a broken deployment shows at start.
    if (auto roots = metadata::MdsRoots::load(settings.mdsRootCertificateFile); !roots) {
        log(QStringLiteral("MDS_ROOT_CERT: %1").arg(roots.error().message));
        return 2;
    }

    if (settings.migrateOnStart && !migrateOnStart(*parameters))
        return 1;

    Metrics metrics;
    const core::Clock &clock = core::Clock::system();
    RateLimiter rateLimiter(settings.rateLimit, clock);
    store::ConnectionParameters database = *parameters;
    database.clock = &clock;
    ServiceContext context{settings, database, metrics, rateLimiter,
                           [database] { return checkReadiness(database); }, clock};
    ApiRouter router;
    if (const QString error = registerAllRoutes(router, context); !error.isEmpty()) {
        log(error);
        return 2;
    }
    if (settings.demo && demoPagesAvailable())
        registerDemoRoutes(router);

    // CORS lets in the pages that run ceremonies: ORIGIN and RELATED_ORIGINS.
    ApiServer server(settings, settings.ceremonyOrigins(), router, metrics, rateLimiter);
    QString listenError;
    const quint16 port = server.start(tls, &listenError);
    if (port == 0) {
        log(listenError);
        return 1;
    }
    log(QStringLiteral("serving %1 on port %2 (pid %3); %4")
            .arg(settings.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"))
            .arg(port)
            .arg(QCoreApplication::applicationPid())
            .arg(config::describeSettings(settings)));
    if (settings.environment == config::Environment::Production && settings.metricsToken.isEmpty())
        log(QStringLiteral(
                "METRICS_TOKEN: not set; GET /metrics is open to whoever reaches port %1")
                .arg(port));

    QTimer sweepTimer;
    sweepTimer.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(settings.sweepInterval));
    QObject::connect(&sweepTimer, &QTimer::timeout, &server, [&server, &metrics, database] {
        // On a worker: it owns a database connection. Skipped when all are busy.
        server.workers().tryStart([database, &metrics] { sweep(database, metrics); });
    });
    sweepTimer.start();
    server.workers().tryStart([database, &metrics] {
        refreshMetadataGauges(store::Database::forThisThread(database), metrics);
    });

    std::unique_ptr<AuditCheckpointJob> auditJob;
    if (settings.auditCheckpointInterval.count() > 0) {
        auditJob = std::make_unique<AuditCheckpointJob>(AuditCheckpointJobSettings{
            database, settings.auditCheckpointInterval, auditKey, settings.auditRetentionDays,
            [](const QString &line) { log(line); }});
        auditJob->start();
    }

    // SIGTERM/SIGINT → the event loop, through a socket pair.
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        log(QStringLiteral("cannot create the signal socket pair"));
        return 1;
    }
    g_signalSocket = pair[1];
    struct sigaction action {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    QSocketNotifier signalNotifier(pair[0], QSocketNotifier::Read);
    QTimer drainTimer;
    QDeadlineTimer drainDeadline;
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &server, [&] {
        char byte;
        [[maybe_unused]] const auto bytesRead = ::read(pair[0], &byte, 1);
        if (drainTimer.isActive())
            return;
        log(QStringLiteral("stopping: no new connections; %1 requests in flight").arg(server.inFlight()));
        server.stopAccepting();
        sweepTimer.stop();
        if (auditJob)
            auditJob->stop();
        drainDeadline.setRemainingTime(10'000);
        drainTimer.start(20);
    });
    QObject::connect(&drainTimer, &QTimer::timeout, &server, [&] {
        const bool idle = server.inFlight() == 0 && server.workers().pending() == 0;
        if (!idle && !drainDeadline.hasExpired())
            return;
        drainTimer.stop();
        if (!idle)
            log(QStringLiteral("stopping with %1 requests unanswered after 10 s").arg(server.inFlight()));
        // A moment for the last replies to leave the socket buffers.
        QTimer::singleShot(100, QCoreApplication::instance(), [] { QCoreApplication::quit(); });
    });

    const int code = QCoreApplication::exec();
    auditJob.reset();
    // Ends the worker threads; each closes its database connection as it ends.
    server.workers().waitForDone(5'000);
    log(QStringLiteral("stopped"));
    ::close(pair[0]);
    ::close(pair[1]);
    return code;
}

} // namespace daarion::server
