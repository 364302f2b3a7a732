// Placeholder until the command lands; replace this file whole.
#include "server/cli/commands.h"

#include <cstdio>

namespace daarion::server {

int runServeCommand(const QStringList &)
{
    std::fputs("daarion-authd: 'serve' is not implemented yet\n", stderr);
    return 2;
}

} // namespace daarion::server
