#pragma once
// What every route group gets at registration: the settings and the shared
// services of the edge. It outlives the server. The lead adds the store and
// identity services here as they land (keep members thread-safe: handlers
// run on several worker threads at once).

#include "shared/config/settings.h"
#include "shared/core/clock.h"
#include "shared/store/database_url.h"

#include <functional>

namespace daarion::server {

class Metrics;
class RateLimiter;

// Whether the service can do its work: the database answers and its schema
// is current. Called on a worker thread.
struct Readiness {
    bool ready = false;
    QString reason; // for people, e.g. "database unreachable", "2 migrations pending"
};

struct ServiceContext {
    const config::Settings &settings;
    const store::ConnectionParameters &database; // Database::forThisThread(database) on a worker
    Metrics &metrics;
    RateLimiter &rateLimiter;
    std::function<Readiness()> readiness; // set by serve; unset means not ready
    const core::Clock &clock = core::Clock::system(); // the one the store's parameters carry too
};

} // namespace daarion::server
