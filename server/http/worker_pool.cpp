#include "server/http/worker_pool.h"

#include <QThreadStorage>

#include <openssl/crypto.h>

namespace daarion::server {

namespace
{

// OpenSSL keeps state per thread (its random generators, the error queue) and
// frees it from a pthread destructor, which for Qt's detached threads runs
// after QThread::wait() has returned: at exit that raced the process's own
// teardown (LeakSanitizer caught the state half-freed). A QThreadStorage value
// is deleted inside the thread before wait() returns, so it frees it there.
struct OpenSslThreadState {
    ~OpenSslThreadState() { OPENSSL_thread_stop(); }
};
QThreadStorage<OpenSslThreadState *> openSslThreadState;

} // namespace

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
        if (!openSslThreadState.hasLocalData())
            openSslThreadState.setLocalData(new OpenSslThreadState);
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
