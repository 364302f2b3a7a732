// Placeholder until the command lands; replace this file whole.
#include "server/cli/commands.h"

#include <cstdio>

namespace daarion::server {

int runMigrateCommand(const QStringList &)
{
    std::fputs("daarion-authd: 'migrate' is not implemented yet\n", stderr);
    return 2;
}

} // namespace daarion::server
