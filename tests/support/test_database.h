#pragma once
// A fresh, uniquely named database on the PostgreSQL server named by
// DAARION_TEST_PG (suites run in parallel, each in its own database),
// migrated unless asked not to, and dropped when the object goes.
//
//     TestDatabase db;
//     QVERIFY2(db.isReady(), qPrintable(db.error())); // fails loudly without DAARION_TEST_PG

#include "shared/store/database.h"
#include "shared/store/database_url.h"

#include <QString>

namespace daarion::testing {

class TestDatabase
{
public:
    enum class Schema { Migrated, Empty };
    explicit TestDatabase(Schema schema = Schema::Migrated);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    bool isReady() const { return m_ready; }
    QString error() const { return m_error; } // why not ready

    QString name() const { return m_name; }
    QString url() const { return m_url; }     // postgresql://…/<name>, for DATABASE_URL
    const store::ConnectionParameters &parameters() const { return m_parameters; }
    // This thread's connection to the test database.
    store::Database &database() const;

    // From now on parameters() and database() carry `clock` (it must outlive
    // this object): the store judges expiry by it, so a test moves it
    // instead of sleeping or rewriting timestamps.
    void useClock(const core::Clock &clock) { m_parameters.clock = &clock; }

    // Runs SQL on a separate administrative connection to the test database
    // (for arranging states the API cannot reach, such as an expired row).
    // Returns an empty string on success, else the error.
    QString exec(const QString &sql) const;

    // Waits until no transaction that has written anything is open in this
    // database (autovacuum's, other connections'), so that an audit
    // checkpoint made next covers every committed row. False at the deadline.
    bool waitUntilNoWriters(int timeoutMs = 15'000) const;

    // DAARION_TEST_PG, or empty.
    static QString serverUrl();

private:
    bool m_ready = false;
    QString m_error;
    QString m_name;
    QString m_url;
    store::ConnectionParameters m_server;
    store::ConnectionParameters m_parameters;
};

} // namespace daarion::testing
