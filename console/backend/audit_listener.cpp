#include "console/backend/audit_listener.h"

#include "shared/store/database.h"

#include <QSqlDriver>
#include <QTimer>

namespace daarion::console {

namespace {

// Lives on the listener thread; owns that thread's connection.
class ListenerWorker : public QObject
{
    Q_OBJECT

public:
    ListenerWorker(store::ConnectionParameters parameters, std::chrono::milliseconds interval)
        : m_parameters(std::move(parameters)), m_interval(interval)
    {
    }

    void start()
    {
        auto *timer = new QTimer(this);
        timer->setInterval(m_interval);
        connect(timer, &QTimer::timeout, this, &ListenerWorker::check);
        timer->start();
        check();
    }

signals:
    void eventInserted(qint64 id);
    void resync();
    void listening(bool on);

private:
    void check()
    {
        store::Database &database = store::Database::forThisThread(m_parameters);
        const bool reachable = database.ping().ok();
        QSqlDriver *driver = database.connection().driver();
        const QString channel = QString::fromLatin1(AuditListener::Channel);
        if (reachable && driver && !driver->subscribedToNotifications().contains(channel)) {
            if (driver->subscribeToNotification(channel)) {
                // One connection per driver object: a reconnect keeps the driver.
                if (m_connectedDriver != driver) {
                    connect(driver, &QSqlDriver::notification, this, &ListenerWorker::onNotification);
                    m_connectedDriver = driver;
                }
            }
        }
        const bool on = reachable && driver && driver->subscribedToNotifications().contains(channel);
        if (on != m_listening) {
            m_listening = on;
            emit listening(on);
        }
        if (on)
            emit resync();
    }

    void onNotification(const QString &name, QSqlDriver::NotificationSource, const QVariant &payload)
    {
        if (name != QLatin1String(AuditListener::Channel))
            return;
        bool ok = false;
        const qint64 id = payload.toString().toLongLong(&ok);
        emit eventInserted(ok ? id : 0);
    }

    store::ConnectionParameters m_parameters;
    std::chrono::milliseconds m_interval;
    QSqlDriver *m_connectedDriver = nullptr;
    bool m_listening = false;
};

} // namespace

AuditListener::AuditListener(store::ConnectionParameters parameters, std::chrono::milliseconds pingInterval,
                             QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("console-audit-listener"));
    auto *worker = new ListenerWorker(std::move(parameters), pingInterval);
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, worker, &ListenerWorker::start);
    // As in StoreClient: close the connection on its own thread before it finishes.
    connect(&m_thread, &QThread::finished, worker, [] { store::Database::releaseThisThread(); },
            Qt::DirectConnection);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &ListenerWorker::eventInserted, this, &AuditListener::eventInserted);
    connect(worker, &ListenerWorker::resync, this, &AuditListener::resync);
    connect(worker, &ListenerWorker::listening, this, &AuditListener::listening);
    m_thread.start();
}

AuditListener::~AuditListener()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace daarion::console

#include "audit_listener.moc"
