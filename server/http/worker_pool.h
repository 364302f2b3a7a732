#pragma once
// The dedicated, bounded pool that runs route handlers (database and crypto
// work) off the server's thread. Threads never expire, so each keeps its
// database connection; the number of waiting tasks is capped so that a flood
// gets 503 at once instead of an ever longer queue.

#include <QThreadPool>

#include <atomic>
#include <functional>

namespace daarion::server {

class WorkerPool
{
public:
    WorkerPool(int threads, int queueLimit);
    ~WorkerPool();

    // Runs `task` on a worker; false (and nothing runs) when full.
    bool tryStart(std::function<void()> task);

    // Blocks until every started task has finished (or `timeoutMs` passed).
    bool waitForDone(int timeoutMs = -1);

    int pending() const { return m_pending.load(); } // running + waiting

private:
    QThreadPool m_pool;
    const int m_threads;
    const int m_capacity;
    std::atomic<int> m_pending{0};
};

} // namespace daarion::server
