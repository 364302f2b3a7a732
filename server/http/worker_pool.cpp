#include "server/http/worker_pool.h"

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

bool WorkerPool::waitForDone(int timeoutMs)
{
    return m_pool.waitForDone(timeoutMs);
}

} // namespace daarion::server
