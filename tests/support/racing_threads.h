#pragma once
// Several threads doing the same thing at the same moment, for the races
// the service must settle (one winner of a challenge, of a token rotation,
// of the last passkey, of a migration). Each contender gets ready first
// (opens its own database connection, its own HTTP client) and all are
// released together from one barrier, so the attempts overlap as closely as
// the scheduler allows; each returns its outcome and the test counts them.
//
//     const QStringList outcomes = raceOnDatabase(m_test->parameters(), 4, [&](Database &mine, int)
//     {
//         return outcomeOf(ChallengeRepository(mine).consume(challenge, Ceremony::Authentication));
//     });
//     QCOMPARE(outcomes.count("ok"), 1);
//     QCOMPARE(outcomes.count("challenge_invalid"), 3);

#include "shared/store/database.h"
#include "shared/store/store_error.h"

#include <QDeadlineTimer>
#include <QList>
#include <QString>
#include <QThread>

#include <chrono>
#include <latch>
#include <type_traits>

namespace daarion::testing
{

// Runs `prepare(i)` and then, once every contender is ready, `attempt(i)` on
// `contenders` threads; the outcomes in contender order. A contender that
// has not finished after `timeout` is a hang: the test process stops with
// qFatal (the threads still use this frame, so it cannot return).
template <typename Prepare, typename Attempt>
auto race(int contenders, Prepare prepare, Attempt attempt,
          std::chrono::milliseconds timeout = std::chrono::seconds(30))
{
    using Outcome = std::invoke_result_t<Attempt &, int>;
    QList<Outcome> outcomes(contenders);
    std::latch startLine(contenders);
    QList<QThread *> threads;
    for (int i = 0; i < contenders; ++i) {
        threads << QThread::create([&, i] {
            prepare(i);
            startLine.arrive_and_wait();
            outcomes[i] = attempt(i);
        });
    }
    for (QThread *thread : std::as_const(threads))
        thread->start();
    for (QThread *thread : std::as_const(threads)) {
        if (!thread->wait(QDeadlineTimer(timeout)))
            qFatal("a racing thread did not finish within %lld ms",
                   static_cast<long long>(timeout.count()));
    }
    qDeleteAll(threads);
    return outcomes;
}

// race() with one database connection per contender
// (Database::forThisThread), connected before the start line and closed
// when the contender is done. `attempt(database, i)`.
template <typename Attempt>
auto raceOnDatabase(const store::ConnectionParameters &parameters, int contenders, Attempt attempt,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30))
{
    return race(
        contenders, [&](int) { (void)store::Database::forThisThread(parameters).ping(); },
        [&](int i) {
            auto outcome = attempt(store::Database::forThisThread(parameters), i);
            store::Database::releaseThisThread();
            return outcome;
        },
        timeout);
}

// "ok", or the kind of the store's refusal ("challenge_invalid", …): an
// outcome to count.
template <typename T> QString outcomeOf(const store::StoreResult<T> &result)
{
    return result ? QStringLiteral("ok") : store::storeErrorKindName(result.kind());
}

} // namespace daarion::testing
