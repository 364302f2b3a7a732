#include "server/routes/routes.h"

#include "server/routes/operations_routes.h"

namespace daarion::server {

void registerAllRoutes(ApiRouter &router, const ServiceContext &context)
{
    registerOperationsRoutes(router, context);
}

} // namespace daarion::server
