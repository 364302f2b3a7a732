#pragma once
// daarion-authd's audit checkpoint job: every AUDIT_CHECKPOINT_INTERVAL it
// chains the settled audit rows into signed checkpoints
// (store::AuditCheckpointRepository), and applies AUDIT_RETENTION_DAYS. It
// runs on a thread of its own with its own database connection, so it never
// takes a request worker or adds to a request's latency. Every replica runs
// it; the advisory lock lets one at a time do the work, the others skip.

#include "shared/audit/signing_key.h"
#include "shared/store/database_url.h"

#include <QObject>
#include <QThread>

#include <chrono>
#include <functional>
#include <optional>

namespace daarion::server
{

struct AuditCheckpointJobSettings {
    store::ConnectionParameters database; // its clock stamps the checkpoints and dates retention
    std::chrono::milliseconds interval{10'000};
    std::optional<audit::AuditSigningKey> signingKey{}; // none: chained but unsigned
    int retentionDays = 0;
    std::function<void(const QString &)> log; // one line to the daemon's log
};

class AuditCheckpointJob
{
public:
    explicit AuditCheckpointJob(AuditCheckpointJobSettings settings);
    ~AuditCheckpointJob(); // stop()
    AuditCheckpointJob(const AuditCheckpointJob &) = delete;
    AuditCheckpointJob &operator=(const AuditCheckpointJob &) = delete;

    void start();
    // Lets the run in progress finish, closes the connection on its thread, joins it.
    void stop();

private:
    AuditCheckpointJobSettings m_settings;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives in m_thread
};

} // namespace daarion::server
