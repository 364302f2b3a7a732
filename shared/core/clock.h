#pragma once
// The one clock of the service. Everything that decides by time — challenge,
// session, enrollment-link and API-key expiry, rate limits, JWT `iat`/`exp`,
// cookie Max-Age — asks a Clock that was passed in, never the system
// directly, so tests move time instead of sleeping (KeePassXC's Clock.h is
// the model). The daemon and the console use Clock::system().

#include <QDateTime>

#include <chrono>

namespace daarion::core
{

class Clock
{
public:
    virtual ~Clock() = default;

    // Wall time, UTC, millisecond precision: what is written to the
    // database and compared with stored expiry times.
    virtual QDateTime now() const = 0;

    // Monotonic time for intervals that must not jump with the wall clock
    // (token buckets, timeouts measured in-process).
    virtual std::chrono::steady_clock::time_point monotonic() const = 0;

    // The real clock; lives as long as the program.
    static const Clock &system();
};

} // namespace daarion::core
