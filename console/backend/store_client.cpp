#include "console/backend/store_client.h"

namespace daarion::console {

StoreClient::StoreClient(store::ConnectionParameters parameters, QObject *parent)
    : QObject(parent), m_parameters(std::move(parameters))
{
    m_thread.setObjectName(QStringLiteral("console-store"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    // Close the connection on the worker thread itself, before it finishes:
    // left to the thread_local cleanup it would run after QThread::wait()
    // returned, racing the process's exit (seen as a crash in QtSql's
    // connection registry at quit).
    connect(&m_thread, &QThread::finished, m_worker, [] { store::Database::releaseThisThread(); },
            Qt::DirectConnection);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StoreClient::~StoreClient()
{
    m_thread.quit();
    m_thread.wait();
}

void StoreClient::post(std::function<void(store::Database &)> task)
{
    const store::ConnectionParameters parameters = m_parameters;
    QMetaObject::invokeMethod(
        m_worker,
        [task = std::move(task), parameters]() {
            task(store::Database::forThisThread(parameters));
        },
        Qt::QueuedConnection);
}

} // namespace daarion::console
