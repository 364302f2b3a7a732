#include "tests/support/manual_clock.h"

#include <QMutexLocker>

namespace daarion::testing
{

ManualClock::ManualClock(QDateTime start)
    : m_now(start.toUTC()), m_monotonic(std::chrono::steady_clock::now())
{
}

QDateTime ManualClock::now() const
{
    QMutexLocker lock(&m_mutex);
    return m_now;
}

std::chrono::steady_clock::time_point ManualClock::monotonic() const
{
    QMutexLocker lock(&m_mutex);
    return m_monotonic;
}

void ManualClock::advance(std::chrono::milliseconds by)
{
    QMutexLocker lock(&m_mutex);
    m_now = m_now.addMSecs(by.count());
    if (by.count() > 0)
        m_monotonic += by;
}

void ManualClock::set(const QDateTime &to)
{
    QMutexLocker lock(&m_mutex);
    const qint64 forward = m_now.msecsTo(to);
    m_now = to.toUTC();
    if (forward > 0)
        m_monotonic += std::chrono::milliseconds(forward);
}

} // namespace daarion::testing
