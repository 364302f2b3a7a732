#pragma once
// RAII transaction: BEGIN in begin(), ROLLBACK in the destructor unless
// commit() succeeded. A guard opened while a transaction is already running
// on the same Database joins it: only the outermost guard commits, and an
// inner guard that ends without commit() makes the outer commit() fail, so a
// repository method can be called alone or inside the caller's transaction.
//
//     Transaction tx(db);
//     if (auto begun = tx.begin(); !begun) return begun.error();
//     … statements …
//     return tx.commit();

#include "shared/store/store_error.h"

namespace daarion::store {

class Database;

class [[nodiscard]] Transaction
{
public:
    explicit Transaction(Database &database);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    StoreCheck begin();
    StoreCheck commit();
    void rollback(); // early and explicit; the destructor does the same

private:
    Database &m_database;
    bool m_active = false;
};

} // namespace daarion::store
