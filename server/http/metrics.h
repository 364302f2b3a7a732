#pragma once
// Request counters and latency histograms per route and status, rendered in
// Prometheus text format at /metrics. Routes are registered once at start;
// recording is lock-free (relaxed atomics), so it costs nothing on the hot path.

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace daarion::server {

class Metrics
{
public:
    Metrics();
    ~Metrics();

    // A route label ("POST /auth/passkey/register/start"); returns its slot.
    // Call before serving. The edge registers "unmatched" and "edge" itself.
    int registerRoute(const QString &label);

    void record(int routeSlot, int status, std::chrono::microseconds latency);
    void connectionOpened();
    void connectionClosed();
    void connectionRefused();  // over MAX_CONNECTIONS
    void idleTimeout();        // cut by HTTP_IDLE_TIMEOUT
    void queueFull();          // worker pool full: 503

    // The imported authenticator metadata, refreshed from the database by the
    // daemon's sweep (nothing when no BLOB was ever imported).
    struct MetadataGauges {
        qint64 number = 0;     // the BLOB's `no`
        qint64 nextUpdate = 0; // seconds since the epoch, 00:00 UTC of nextUpdate
        qint64 importedAt = 0; // seconds since the epoch
        qint64 entries = 0;
        bool stale = false; // past nextUpdate: import a newer BLOB
    };
    void setMetadata(const std::optional<MetadataGauges> &gauges);

    QByteArray prometheusText() const;

private:
    static constexpr std::array<int, 16> kStatuses{200, 201, 204, 304, 400, 401, 403, 404,
                                                  405, 409, 413, 429, 431, 500, 503, 0 /* other */};
    static constexpr std::array<double, 12> kBucketsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                            0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
    struct RouteCounters {
        QString label;
        std::array<std::atomic<quint64>, kStatuses.size()> byStatus{};
        std::array<std::atomic<quint64>, kBucketsSeconds.size()> buckets{}; // not cumulative
        std::atomic<quint64> count{0};
        std::atomic<quint64> sumMicroseconds{0};
    };
    std::vector<std::unique_ptr<RouteCounters>> m_routes;
    std::atomic<qint64> m_openConnections{0};
    std::atomic<quint64> m_connections{0};
    std::atomic<quint64> m_refused{0};
    std::atomic<quint64> m_idleTimeouts{0};
    std::atomic<quint64> m_queueFull{0};
    std::atomic<bool> m_metadataKnown{false}; // set after the first refresh that found a BLOB
    std::atomic<qint64> m_metadataNumber{0};
    std::atomic<qint64> m_metadataNextUpdate{0};
    std::atomic<qint64> m_metadataImportedAt{0};
    std::atomic<qint64> m_metadataEntries{0};
    std::atomic<bool> m_metadataStale{true};
};

} // namespace daarion::server
