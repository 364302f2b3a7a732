// Placeholder until the command lands; replace this file whole.
#include "server/cli/commands.h"

#include <cstdio>

namespace daarion::server {

int runApiKeyCommand(const QStringList &)
{
    std::fputs("daarion-authd: 'apikey' is not implemented yet\n", stderr);
    return 2;
}

} // namespace daarion::server
