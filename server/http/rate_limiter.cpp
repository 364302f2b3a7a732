#include "server/http/rate_limiter.h"

#include <QMutexLocker>

#include <cmath>

namespace daarion::server {

namespace {
// Beyond this many keys, buckets that have refilled completely are forgotten
// (they hold no information); past twice as many, everything is: a flood of
// distinct addresses must not grow memory without bound.
constexpr qsizetype kPruneAbove = 50'000;
} // namespace

RateLimiter::RateLimiter(const config::RateLimitSettings &settings, const core::Clock &clock)
    : m_settings(settings), m_clock(clock)
{
}

int RateLimiter::takeForAddress(const QString &address)
{
    return take(m_addresses, address, m_settings.ipPerMinute, m_settings.ipBurst);
}

int RateLimiter::takeForUsername(const QString &username, UsernameBucket bucket)
{
    return take(bucket == UsernameBucket::SignUp ? m_signUpNames : m_signInNames, username,
                m_settings.usernamePerMinute, m_settings.usernameBurst);
}

int RateLimiter::take(QHash<QString, Bucket> &buckets, const QString &key, int perMinute, int burst)
{
    if (!m_settings.enabled)
        return 0;
    const auto now = m_clock.monotonic();
    QMutexLocker lock(&m_mutex);
    if (buckets.size() > kPruneAbove)
        dropFullBuckets(buckets, perMinute, burst, now);
    auto it = buckets.find(key);
    if (it == buckets.end())
        it = buckets.insert(key, Bucket{double(burst), now});
    Bucket &bucket = *it;
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(double(burst), bucket.tokens + elapsed * perMinute / 60.0);
    bucket.refilled = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    if (perMinute <= 0)
        return 60;
    return qMax(1, int(std::ceil((1.0 - bucket.tokens) * 60.0 / perMinute)));
}

void RateLimiter::dropFullBuckets(QHash<QString, Bucket> &buckets, int perMinute, int burst,
                                  std::chrono::steady_clock::time_point now)
{
    for (auto it = buckets.begin(); it != buckets.end();) {
        const double elapsed = std::chrono::duration<double>(now - it->refilled).count();
        if (it->tokens + elapsed * perMinute / 60.0 >= burst)
            it = buckets.erase(it);
        else
            ++it;
    }
    if (buckets.size() > 2 * kPruneAbove)
        buckets.clear();
}

} // namespace daarion::server
