#include "shared/store/transaction.h"

#include "shared/store/database.h"

namespace daarion::store {

Transaction::Transaction(Database &database) : m_database(database) {}

Transaction::~Transaction()
{
    rollback();
}

StoreCheck Transaction::begin()
{
    if (m_active)
        return storeError(StoreErrorKind::Failed, QStringLiteral("transaction already begun"));
    auto begun = m_database.begin();
    if (begun)
        m_active = true;
    return begun;
}

StoreCheck Transaction::commit()
{
    if (!m_active)
        return storeError(StoreErrorKind::Failed, QStringLiteral("commit without begin"));
    m_active = false;
    return m_database.commit();
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    m_database.rollback();
}

} // namespace daarion::store
