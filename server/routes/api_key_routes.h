#pragma once
// API keys of agents, managed by the people who run a microDAO:
// POST /auth/api-keys (an owner or admin of the key's microDAO; the key is
// shown once), GET /auth/api-keys (the keys of every microDAO the caller
// administers), DELETE /auth/api-keys/{id}. Service keys are made by
// operators only (daarion-authd apikey create).

#include "server/http/api_router.h"
#include "server/http/service_context.h"
#include "shared/store/api_key_repository.h"

#include <QJsonObject>

namespace daarion::server {

QJsonObject apiKeyJson(const store::ApiKeyRecord &key);

void registerApiKeyRoutes(ApiRouter &router, const ServiceContext &context);

} // namespace daarion::server
