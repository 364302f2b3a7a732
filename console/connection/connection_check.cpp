#include "console/connection/connection_check.h"

#include "shared/store/database.h"
#include "shared/store/migrator.h"

#include <QObject>

namespace daarion::console {

using namespace daarion::store;

StoreCheck checkConsoleDatabase(const ConnectionParameters &parameters)
{
    Database database(parameters);
    if (auto reached = database.ping(); !reached)
        return reached.error();
    Migrator migrator(database);
    auto current = migrator.isCurrent();
    if (!current)
        return current.error();
    if (!*current)
        return storeError(StoreErrorKind::Failed,
                          QObject::tr("the database has no daarion-auth schema, or an older one "
                                      "(start daarion-authd once against it: it applies the migrations)"));
    return Ok{};
}

QString connectionProblemText(const ConnectionParameters &parameters, const StoreError &error)
{
    if (error.kind == StoreErrorKind::Unavailable)
        return QObject::tr("Cannot reach PostgreSQL at %1.\n\n%2\n\nIs the server running and the address right? "
                           "(scripts/run starts one at postgresql://postgres@127.0.0.1:54329/daarion_auth.)")
            .arg(parameters.redacted(), error.message);
    return QObject::tr("The database at %1 cannot be used by the console:\n\n%2").arg(parameters.redacted(), error.message);
}

} // namespace daarion::console
