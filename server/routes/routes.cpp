#include "server/routes/routes.h"

#include "server/http/cross_site_guard.h"
#include "server/http/session_cookie.h"

#include "server/routes/activity_routes.h"
#include "server/routes/api_key_routes.h"
#include "server/routes/enrollment_routes.h"
#include "server/routes/introspection_routes.h"
#include "server/routes/membership_routes.h"
#include "server/routes/operations_routes.h"
#include "server/routes/passkey_ceremony_routes.h"
#include "server/routes/passkey_routes.h"
#include "server/routes/session_routes.h"
#include "server/routes/token_routes.h"
#include "server/routes/well_known_routes.h"

namespace daarion::server {

QString registerAllRoutes(ApiRouter &router, const ServiceContext &context)
{
    const SessionCookie cookie = SessionCookie::of(context.settings);
    router.guardStateChanging([cookie](const ApiRequest &request) {
        return refuseForgeableCookieRequest(request, cookie);
    });
    registerOperationsRoutes(router, context);
    if (QString error = registerPasskeyCeremonyRoutes(router, context); !error.isEmpty())
        return error;
    registerSessionRoutes(router, context);
    registerPasskeyRoutes(router, context);
    registerEnrollmentRoutes(router, context);
    registerActivityRoutes(router, context);
    registerApiKeyRoutes(router, context);
    registerIntrospectionRoutes(router, context);
    registerTokenRoutes(router, context);
    registerMembershipRoutes(router, context);
    registerWellKnownRoutes(router, context);
    return {};
}

} // namespace daarion::server
