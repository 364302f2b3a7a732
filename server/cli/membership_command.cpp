// Placeholder until the command lands; replace this file whole.
#include "server/cli/commands.h"

#include <cstdio>

namespace daarion::server {

int runMembershipCommand(const QStringList &)
{
    std::fputs("daarion-authd: 'membership' is not implemented yet\n", stderr);
    return 2;
}

} // namespace daarion::server
