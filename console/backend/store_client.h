#pragma once
// Runs store calls on one worker thread that owns the console's PostgreSQL
// connection, so the GUI never waits for the database. Calls run in the
// order they were made; each result comes back on the GUI thread, and only
// while its receiver is still alive.
//
//     client.call(this,
//         [query](store::Database &db) { return store::UserRepository(db).list(query); },
//         [this](const store::StoreResult<QList<store::UserSummary>> &users) { … });

#include "shared/store/database.h"
#include "shared/store/database_url.h"
#include "shared/store/store_error.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <type_traits>

namespace daarion::console {

class StoreClient : public QObject
{
    Q_OBJECT

public:
    explicit StoreClient(store::ConnectionParameters parameters, QObject *parent = nullptr);
    ~StoreClient() override; // finishes the call in progress, drops the queued ones

    const store::ConnectionParameters &parameters() const { return m_parameters; }

    // job runs on the worker thread with its Database; done runs on this
    // object's thread, unless receiver was destroyed meanwhile.
    template <typename Job, typename Done>
    void call(QObject *receiver, Job job, Done done)
    {
        using Result = std::invoke_result_t<Job &, store::Database &>;
        QPointer<QObject> guard(receiver);
        post([this, guard, job = std::move(job), done = std::move(done)](store::Database &database) mutable {
            auto result = std::make_shared<Result>(job(database));
            // Back to this object's thread; it outlives the worker (the
            // destructor joins the thread), the receiver is checked there.
            QMetaObject::invokeMethod(
                this,
                [this, guard, done = std::move(done), result]() mutable {
                    if constexpr (requires { result->kind(); }) { // a StoreResult
                        if (!result->ok() && result->kind() == store::StoreErrorKind::Unavailable)
                            emit unavailable(result->error().message);
                    }
                    if (guard)
                        done(*result);
                },
                Qt::QueuedConnection);
        });
    }

signals:
    // A call failed because PostgreSQL could not be reached (for the status bar).
    void unavailable(const QString &message);

private:
    void post(std::function<void(store::Database &)> task);

    store::ConnectionParameters m_parameters;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives in m_thread
};

} // namespace daarion::console
