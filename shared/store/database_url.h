#pragma once
// DATABASE_URL → connection parameters for QPSQL.
//   postgresql://user:pass@host:port/dbname?sslmode=require&connect_timeout=5
//   postgres://user@/dbname?host=/var/run/postgresql   (Unix socket directory)
// Percent-escapes are decoded; unknown query keys are refused so a typo is
// not silently ignored.

#include "shared/core/clock.h"
#include "shared/store/store_error.h"

#include <QString>

namespace daarion::store {

struct ConnectionParameters {
    QString host{};         // host name, address, or an absolute socket directory
    int port = 5432;
    QString user{};
    QString password{};
    QString databaseName{};
    QString options{};      // QPSQL connect options "key=value;key=value" (sslmode, connect_timeout, …)
    // The time every expiry decision of the store reads (bound into SQL
    // instead of now()); tests put a ManualClock here. Not part of the URL.
    const core::Clock *clock = &core::Clock::system();

    bool operator==(const ConnectionParameters &) const = default;

    // postgresql://user@host:port/db, the password left out: safe to log.
    QString redacted() const;
};

// InvalidInput with a message naming what is wrong.
StoreResult<ConnectionParameters> parseDatabaseUrl(const QString &url);

} // namespace daarion::store
