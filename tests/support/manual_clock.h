#pragma once
// A clock tests move by hand (KeePassXC's MockClock): wall and monotonic time
// advance together, only when told. Thread-safe, so a daemon-side object on a
// worker thread may read it while the test moves it.
//
//     ManualClock clock;                       // starts at the real now
//     params.clock = &clock;                   // the store reads it
//     clock.advance(std::chrono::hours(25));   // a 24 h link is now expired

#include "shared/core/clock.h"

#include <QMutex>

namespace daarion::testing
{

class ManualClock final : public core::Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime::currentDateTimeUtc());

    QDateTime now() const override;
    std::chrono::steady_clock::time_point monotonic() const override;

    void advance(std::chrono::milliseconds by);
    void set(const QDateTime &to); // moves wall time only; monotonic time never goes back

private:
    mutable QMutex m_mutex;
    QDateTime m_now;
    std::chrono::steady_clock::time_point m_monotonic;
};

} // namespace daarion::testing
