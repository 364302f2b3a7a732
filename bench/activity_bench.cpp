// daarion-auth-activity-bench: what GET /auth/activity asks of PostgreSQL
// on a large audit trail. Seeds auth_events with --rows rows spread over
// --users accounts plus one busy account with --busy rows of its own, then
// times the route's query (identity::accountActivity, one prepared
// statement) for the newest page and for a page deep in the busy account's
// history, first with the (user_id, id) index of migration 004 and then
// without it. Prints mean, p50 and p99 per page in microseconds.
//
//     bench/activity [--rows 1000000] [--users 10000] [--busy 100000] [--iterations 500]

#include "shared/identity/account_activity.h"
#include "shared/store/database.h"
#include "tests/support/test_database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTextStream>
#include <QUuid>

#include <algorithm>
#include <vector>

using namespace daarion;

namespace
{

struct Timing {
    double mean = 0;
    double p50 = 0;
    double p99 = 0;
    int events = 0; // on the last page read
};

Timing timePages(store::Database &database, const QUuid &user, qint64 before, int limit,
                 int iterations)
{
    std::vector<double> micros;
    micros.reserve(std::size_t(iterations));
    Timing timing;
    for (int i = 0; i < iterations; ++i) {
        QElapsedTimer clock;
        clock.start();
        auto page = identity::accountActivity(database, user, before, limit);
        micros.push_back(double(clock.nsecsElapsed()) / 1000.0);
        if (!page) {
            QTextStream(stderr) << "activity query failed: " << page.error().detail << "\n";
            return {};
        }
        timing.events = int(page->events.size());
    }
    std::sort(micros.begin(), micros.end());
    double sum = 0;
    for (double m : micros)
        sum += m;
    timing.mean = sum / double(micros.size());
    timing.p50 = micros[micros.size() / 2];
    timing.p99 = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
    return timing;
}

QString row(const QString &what, const Timing &t)
{
    return QStringLiteral("%1  mean %2 µs  p50 %3 µs  p99 %4 µs  (%5 events)\n")
        .arg(what, -44)
        .arg(t.mean, 8, 'f', 1)
        .arg(t.p50, 8, 'f', 1)
        .arg(t.p99, 8, 'f', 1)
        .arg(t.events);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("audit rows of other accounts"),
                      QStringLiteral("N"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("users"), QStringLiteral("accounts they belong to"),
                      QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("busy"), QStringLiteral("rows of the one busy account timed"),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("iterations"), QStringLiteral("pages read per measurement"),
                      QStringLiteral("N"), QStringLiteral("500")});
    parser.process(app);
    const qint64 rows = parser.value(QStringLiteral("rows")).toLongLong();
    const qint64 users = qMax<qint64>(1, parser.value(QStringLiteral("users")).toLongLong());
    const qint64 busy = parser.value(QStringLiteral("busy")).toLongLong();
    const int iterations = qMax(1, parser.value(QStringLiteral("iterations")).toInt());
    QTextStream out(stdout);

    testing::TestDatabase test;
    if (!test.isReady()) {
        QTextStream(stderr) << "no database: " << test.error() << "\n";
        return 1;
    }
    const QUuid busyUser = QUuid::createUuid();
    const QString busyId = busyUser.toString(QUuid::WithoutBraces);
    QElapsedTimer seeding;
    seeding.start();
    // Five kinds of rows, interleaved; the busy account's rows among the others'.
    const QString seed =
        QStringLiteral(
            "INSERT INTO auth_events (event, outcome, user_id, username, details)"
            " SELECT (ARRAY['login_success', 'session_refresh', 'login_failure', 'passkey_added', "
            "'logout'])[1 + g %% 5],"
            " CASE WHEN g %% 5 = 2 THEN 'failure' ELSE 'success' END,"
            " CASE WHEN g %% %1 = 0 THEN '%2'::uuid ELSE ids[1 + g %% %3] END, 'bench', '{}'"
            " FROM generate_series(1, %4) g,"
            " (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, %3)) u")
            .arg(busy > 0 ? qMax<qint64>(1, (rows + busy) / busy) : rows + busy + 1)
            .arg(busyId)
            .arg(users)
            .arg(rows + busy);
    QString seedSql = seed;
    seedSql.replace(QStringLiteral("%%"), QStringLiteral("%"));
    if (const QString error = test.exec(seedSql); !error.isEmpty()) {
        QTextStream(stderr) << "seeding failed: " << error << "\n";
        return 1;
    }
    test.exec(QStringLiteral("ANALYZE auth_events"));
    store::Database &database = test.database();
    auto count =
        database.run(QStringLiteral("SELECT count(*), count(*) FILTER (WHERE user_id = ?::uuid),"
                                    " (SELECT id FROM auth_events WHERE user_id = ?::uuid"
                                    "  ORDER BY id LIMIT 1 OFFSET ?::integer) FROM auth_events"),
                     {busyId, busyId, int(busy / 10)});
    if (!count || !(*count)->next()) {
        QTextStream(stderr) << "cannot count the seeded rows\n";
        return 1;
    }
    const qint64 total = (*count)->value(0).toLongLong();
    const qint64 mine = (*count)->value(1).toLongLong();
    const qint64 deep =
        (*count)->value(2).toLongLong(); // an id a tenth into the busy account's history
    out << QStringLiteral(
               "seeded %1 audit rows (%2 of the busy account, the rest over %3 accounts) in %4 s\n")
               .arg(total)
               .arg(mine)
               .arg(users)
               .arg(double(seeding.elapsed()) / 1000.0, 0, 'f', 1);

    const int limit = identity::kDefaultActivityPage;
    out << QStringLiteral("GET /auth/activity?limit=%1, %2 pages each:\n")
               .arg(limit)
               .arg(iterations);
    timePages(database, busyUser, 0, limit, 20); // warm the statement and the cache
    out << row(QStringLiteral("with the (user_id, id) index, newest page"),
               timePages(database, busyUser, 0, limit, iterations));
    out << row(QStringLiteral("with the (user_id, id) index, deep page"),
               timePages(database, busyUser, deep, limit, iterations));
    if (const QString error =
            test.exec(QStringLiteral("DROP INDEX auth_events_user_id_id_idx; ANALYZE auth_events"));
        !error.isEmpty()) {
        QTextStream(stderr) << "dropping the index failed: " << error << "\n";
        return 1;
    }
    // A fresh connection: the old prepared statement keeps its plan.
    store::Database withoutIndex(test.parameters());
    timePages(withoutIndex, busyUser, 0, limit, 5);
    const int slowIterations = qMax(1, iterations / 10);
    out << row(QStringLiteral("without it, newest page"),
               timePages(withoutIndex, busyUser, 0, limit, slowIterations));
    out << row(QStringLiteral("without it, deep page"),
               timePages(withoutIndex, busyUser, deep, limit, slowIterations));
    return 0;
}
