#include "shared/store/service_secret_repository.h"

#include "shared/store/database.h"
#include "shared/store/sql_values.h"

#include <QSqlQuery>

namespace daarion::store {

StoreResult<QByteArray> ServiceSecretRepository::find(const QString &name)
{
    auto rows = m_database.run(QStringLiteral("SELECT secret FROM service_secrets WHERE name = ?"),
                               {name});
    if (!rows)
        return rows.error();
    QSqlQuery *query = rows.value();
    if (!query->next())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no service secret named ") + name);
    return bytesAt(*query, 0);
}

} // namespace daarion::store
