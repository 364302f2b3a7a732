#pragma once
// Token buckets in memory, per client IP and per username, for the ceremony
// routes. Thread-safe (handlers ask from worker threads). Per replica: N
// replicas behind a balancer allow up to N times the configured rate.
// A username has two buckets of the same size: sign-up attempts on a name
// (which anyone may make, taken or not) never spend what its owner needs to
// sign in.

#include "shared/config/settings.h"

#include "shared/core/clock.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <chrono>

namespace daarion::server {

// What a per-username budget is spent on.
enum class UsernameBucket {
    SignUp, // register/start for a new account with this name
    SignIn, // authenticate/start naming this account
};

class RateLimiter
{
public:
    // Buckets refill by `clock`'s monotonic time (tests move it); it must outlive this.
    explicit RateLimiter(const config::RateLimitSettings &settings,
                         const core::Clock &clock = core::Clock::system());

    // 0 when allowed (one token taken), else the seconds until a token is back.
    int takeForAddress(const QString &address);
    int takeForUsername(const QString &username, UsernameBucket bucket);

    bool enabled() const { return m_settings.enabled; }

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point refilled;
    };
    int take(QHash<QString, Bucket> &buckets, const QString &key, int perMinute, int burst);
    void dropFullBuckets(QHash<QString, Bucket> &buckets, int perMinute, int burst,
                         std::chrono::steady_clock::time_point now);

    const config::RateLimitSettings m_settings;
    const core::Clock &m_clock;
    QMutex m_mutex;
    QHash<QString, Bucket> m_addresses;
    QHash<QString, Bucket> m_signUpNames;
    QHash<QString, Bucket> m_signInNames;
};

} // namespace daarion::server
