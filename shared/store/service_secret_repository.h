#pragma once
// service_secrets: keys the service derives things from, created by a
// migration so every replica of one database shares them.

#include "shared/store/store_error.h"

#include <QByteArray>
#include <QString>

namespace daarion::store {

class Database;

class ServiceSecretRepository
{
public:
    explicit ServiceSecretRepository(Database &database) : m_database(database) {}

    // NotFound when no secret has that name.
    StoreResult<QByteArray> find(const QString &name);

private:
    Database &m_database;
};

} // namespace daarion::store
