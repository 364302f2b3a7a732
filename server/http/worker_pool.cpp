#include "server/http/worker_pool.h"

#include <QSemaphore>

namespace daarion::server {

WorkerPool::WorkerPool(int threads, int queueLimit)
    : m_threads(threads)
    , m_capacity(threads + queueLimit)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(QStringLiteral("daarion-workers"));
}

WorkerPool::~WorkerPool()
{
    m_pool.waitForDone();
}

bool WorkerPool::tryStart(std::function<void()> task)
{
    if (m_pending.fetch_add(1) >= m_capacity) {
        m_pending.fetch_sub(1);
        return false;
    }
    m_pool.start([this, task = std::move(task)] {
        task();
        m_pending.fetch_sub(1);
    });
    return true;
}

void WorkerPool::runOnEveryThread(const std::function<void()> &task)
{
    m_pool.waitForDone();
    QSemaphore arrived;
    QSemaphore done;
    for (int i = 0; i < m_threads; ++i) {
        m_pool.start([&] {
            // Hold this thread until every thread has a task of its own.
            arrived.release();
            arrived.acquire(m_threads);
            arrived.release(m_threads);
            task();
            done.release();
        });
    }
    done.acquire(m_threads);
    m_pool.waitForDone();
}

bool WorkerPool::waitForDone(int timeoutMs)
{
    return m_pool.waitForDone(timeoutMs);
}

} // namespace daarion::server
