#pragma once
// Is this a daarion-auth database the console can work with? Reachable,
// and with every migration applied (the daemon migrates; the console never
// changes the schema). The answer's message is meant for the operator.

#include "shared/store/database_url.h"
#include "shared/store/store_error.h"

namespace daarion::console {

// Runs on the calling thread with a connection of its own, closed on return.
store::StoreCheck checkConsoleDatabase(const store::ConnectionParameters &parameters);

// What to tell the operator when the check failed.
QString connectionProblemText(const store::ConnectionParameters &parameters, const store::StoreError &error);

} // namespace daarion::console
