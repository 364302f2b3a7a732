#include "server/http/metrics.h"


namespace daarion::server {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

QByteArray escapeLabel(const QString &label)
{
    QByteArray out = label.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}
} // namespace

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

int Metrics::registerRoute(const QString &label)
{
    auto counters = std::make_unique<RouteCounters>();
    counters->label = label;
    m_routes.push_back(std::move(counters));
    return int(m_routes.size()) - 1;
}

void Metrics::record(int routeSlot, int status, std::chrono::microseconds latency)
{
    if (routeSlot < 0 || routeSlot >= int(m_routes.size()))
        return;
    RouteCounters &route = *m_routes[size_t(routeSlot)];
    size_t statusIndex = kStatuses.size() - 1;
    for (size_t i = 0; i + 1 < kStatuses.size(); ++i) {
        if (kStatuses[i] == status) {
            statusIndex = i;
            break;
        }
    }
    route.byStatus[statusIndex].fetch_add(1, kRelaxed);
    const double seconds = double(latency.count()) / 1e6;
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        if (seconds <= kBucketsSeconds[i]) {
            route.buckets[i].fetch_add(1, kRelaxed);
            break;
        }
    }
    route.count.fetch_add(1, kRelaxed);
    route.sumMicroseconds.fetch_add(quint64(qMax<qint64>(0, latency.count())), kRelaxed);
}

void Metrics::connectionOpened()
{
    m_openConnections.fetch_add(1, kRelaxed);
    m_connections.fetch_add(1, kRelaxed);
}

void Metrics::connectionClosed() { m_openConnections.fetch_sub(1, kRelaxed); }
void Metrics::connectionRefused() { m_refused.fetch_add(1, kRelaxed); }
void Metrics::idleTimeout() { m_idleTimeouts.fetch_add(1, kRelaxed); }
void Metrics::queueFull() { m_queueFull.fetch_add(1, kRelaxed); }

void Metrics::setMetadata(const std::optional<MetadataGauges> &gauges)
{
    if (!gauges) {
        m_metadataKnown.store(false, kRelaxed);
        m_metadataStale.store(true, kRelaxed);
        return;
    }
    m_metadataNumber.store(gauges->number, kRelaxed);
    m_metadataNextUpdate.store(gauges->nextUpdate, kRelaxed);
    m_metadataImportedAt.store(gauges->importedAt, kRelaxed);
    m_metadataEntries.store(gauges->entries, kRelaxed);
    m_metadataStale.store(gauges->stale, kRelaxed);
    m_metadataKnown.store(true, std::memory_order_release);
}

QByteArray Metrics::prometheusText() const
{
    QByteArray out;
    out.reserve(8192);
    out += "# HELP daarion_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE daarion_http_requests_total counter\n";
    for (const auto &route : m_routes) {
        const QByteArray label = escapeLabel(route->label);
        for (size_t i = 0; i < kStatuses.size(); ++i) {
            const quint64 n = route->byStatus[i].load(kRelaxed);
            if (n == 0)
                continue;
            const QByteArray status = kStatuses[i] == 0 ? QByteArray("other") : QByteArray::number(kStatuses[i]);
            out += "daarion_http_requests_total{route=\"" + label + "\",status=\"" + status + "\"} "
                   + QByteArray::number(n) + '\n';
        }
    }
    out += "# HELP daarion_http_request_duration_seconds Time from a complete request to its answer.\n"
           "# TYPE daarion_http_request_duration_seconds histogram\n";
    for (const auto &route : m_routes) {
        const quint64 count = route->count.load(kRelaxed);
        if (count == 0)
            continue;
        const QByteArray label = escapeLabel(route->label);
        quint64 cumulative = 0;
        for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
            cumulative += route->buckets[i].load(kRelaxed);
            out += "daarion_http_request_duration_seconds_bucket{route=\"" + label + "\",le=\""
                   + QByteArray::number(kBucketsSeconds[i]) + "\"} " + QByteArray::number(cumulative) + '\n';
        }
        out += "daarion_http_request_duration_seconds_bucket{route=\"" + label + "\",le=\"+Inf\"} "
               + QByteArray::number(count) + '\n';
        out += "daarion_http_request_duration_seconds_sum{route=\"" + label + "\"} "
               + QByteArray::number(double(route->sumMicroseconds.load(kRelaxed)) / 1e6, 'f', 6) + '\n';
        out += "daarion_http_request_duration_seconds_count{route=\"" + label + "\"} " + QByteArray::number(count)
               + '\n';
    }
    out += "# HELP daarion_http_open_connections Connections open now.\n"
           "# TYPE daarion_http_open_connections gauge\n"
           "daarion_http_open_connections "
           + QByteArray::number(m_openConnections.load(kRelaxed)) + '\n';
    out += "# HELP daarion_http_connections_total Connections accepted.\n"
           "# TYPE daarion_http_connections_total counter\n"
           "daarion_http_connections_total "
           + QByteArray::number(m_connections.load(kRelaxed)) + '\n';
    out += "# HELP daarion_http_connections_refused_total Connections refused over MAX_CONNECTIONS.\n"
           "# TYPE daarion_http_connections_refused_total counter\n"
           "daarion_http_connections_refused_total "
           + QByteArray::number(m_refused.load(kRelaxed)) + '\n';
    out += "# HELP daarion_http_idle_timeouts_total Connections cut by HTTP_IDLE_TIMEOUT.\n"
           "# TYPE daarion_http_idle_timeouts_total counter\n"
           "daarion_http_idle_timeouts_total "
           + QByteArray::number(m_idleTimeouts.load(kRelaxed)) + '\n';
    out += "# HELP daarion_http_worker_queue_full_total Requests refused with 503 because the worker queue was full.\n"
           "# TYPE daarion_http_worker_queue_full_total counter\n"
           "daarion_http_worker_queue_full_total "
           + QByteArray::number(m_queueFull.load(kRelaxed)) + '\n';
    out += "# HELP daarion_metadata_stale 1 when the FIDO metadata is past its nextUpdate or was "
           "never imported.\n"
           "# TYPE daarion_metadata_stale gauge\n"
           "daarion_metadata_stale " +
           QByteArray(m_metadataStale.load(kRelaxed) ? "1" : "0") + '\n';
    if (m_metadataKnown.load(std::memory_order_acquire)) {
        out += "# HELP daarion_metadata_blob_number The imported FIDO MDS3 BLOB's serial number "
               "(no).\n"
               "# TYPE daarion_metadata_blob_number gauge\n"
               "daarion_metadata_blob_number " +
               QByteArray::number(m_metadataNumber.load(kRelaxed)) + '\n';
        out += "# HELP daarion_metadata_next_update_timestamp_seconds When the FIDO Alliance "
               "publishes the next BLOB.\n"
               "# TYPE daarion_metadata_next_update_timestamp_seconds gauge\n"
               "daarion_metadata_next_update_timestamp_seconds " +
               QByteArray::number(m_metadataNextUpdate.load(kRelaxed)) + '\n';
        out += "# HELP daarion_metadata_imported_timestamp_seconds When the BLOB was imported.\n"
               "# TYPE daarion_metadata_imported_timestamp_seconds gauge\n"
               "daarion_metadata_imported_timestamp_seconds " +
               QByteArray::number(m_metadataImportedAt.load(kRelaxed)) + '\n';
        out +=
            "# HELP daarion_metadata_entries Authenticator models (AAGUIDs) in the imported BLOB.\n"
            "# TYPE daarion_metadata_entries gauge\n"
            "daarion_metadata_entries " +
            QByteArray::number(m_metadataEntries.load(kRelaxed)) + '\n';
    }
    return out;
}

} // namespace daarion::server
