// Placeholder until the command lands; replace this file whole.
#include "server/cli/commands.h"

#include <cstdio>

namespace daarion::server {

int runVerifyCommand(const QStringList &)
{
    std::fputs("daarion-authd: 'verify' is not implemented yet\n", stderr);
    return 2;
}

} // namespace daarion::server
