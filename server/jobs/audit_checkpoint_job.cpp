#include "server/jobs/audit_checkpoint_job.h"

#include "shared/store/audit_checkpoint_repository.h"
#include "shared/store/database.h"

#include <QTimer>

#include <memory>

namespace daarion::server
{

namespace
{

// Lives on the job's thread: the timer, the connection, the runs.
class CheckpointWorker : public QObject
{
public:
    explicit CheckpointWorker(const AuditCheckpointJobSettings &settings) : m_settings(settings) {}

    void begin()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_settings.interval);
        QObject::connect(m_timer, &QTimer::timeout, this, [this] { runOnce(); });
        m_timer->start();
    }

    void end()
    {
        if (m_timer)
            m_timer->stop();
        m_database.reset(); // closed on the thread that opened it
    }

private:
    void runOnce()
    {
        if (!m_database)
            m_database = std::make_unique<store::Database>(m_settings.database);
        store::CheckpointPolicy policy;
        policy.signingKey = m_settings.signingKey ? &*m_settings.signingKey : nullptr;
        policy.retentionDays = m_settings.retentionDays;
        const auto run = store::AuditCheckpointRepository(*m_database).makeCheckpoints(policy);
        if (!run) {
            // Once per outage, not once per tick.
            if (!m_failing)
                m_settings.log(QStringLiteral("audit checkpoint failed (retrying every tick): %1")
                                   .arg(run.error().message));
            m_failing = true;
            return;
        }
        if (m_failing)
            m_settings.log(QStringLiteral("audit checkpoints work again"));
        m_failing = false;
        if (!run->unmatchedRows.isEmpty()) {
            QStringList ids;
            for (qint64 id : run->unmatchedRows.mid(0, 20))
                ids << QString::number(id);
            m_settings.log(
                QStringLiteral("audit: %1 row(s) no longer matched their seal when chained (edited "
                               "before the checkpoint): %2")
                    .arg(run->unmatchedRows.size())
                    .arg(ids.join(QLatin1Char(' '))));
        }
        if (run->prunedThrough)
            m_settings.log(
                QStringLiteral("audit retention: deleted %1 row(s) of checkpoints up to %2")
                    .arg(run->prunedRows)
                    .arg(*run->prunedThrough));
        if (!run->caughtUp) // more settled rows wait: go on at once
            QTimer::singleShot(0, this, [this] { runOnce(); });
    }

    AuditCheckpointJobSettings m_settings;
    QTimer *m_timer = nullptr;
    std::unique_ptr<store::Database> m_database;
    bool m_failing = false;
};

} // namespace

AuditCheckpointJob::AuditCheckpointJob(AuditCheckpointJobSettings settings)
    : m_settings(std::move(settings))
{
    m_thread.setObjectName(QStringLiteral("audit-checkpoints"));
}

AuditCheckpointJob::~AuditCheckpointJob()
{
    stop();
}

void AuditCheckpointJob::start()
{
    if (m_worker)
        return;
    auto *worker = new CheckpointWorker(m_settings);
    worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread.start();
    QMetaObject::invokeMethod(
        worker, [worker] { worker->begin(); }, Qt::QueuedConnection);
}

void AuditCheckpointJob::stop()
{
    if (!m_worker)
        return;
    auto *worker = static_cast<CheckpointWorker *>(m_worker);
    QMetaObject::invokeMethod(
        worker, [worker] { worker->end(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace daarion::server
