#pragma once
// GET /health (200 while serving), GET /ready (200 when the database answers
// and migrations are current, else 503 unavailable), GET /metrics (Prometheus;
// with METRICS_TOKEN set, only for "Authorization: Bearer <METRICS_TOKEN>").

#include "server/http/api_router.h"
#include "server/http/service_context.h"

namespace daarion::server {

void registerOperationsRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
