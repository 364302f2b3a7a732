// DATABASE_URL (shared/store/database_url.h): read from the environment or a
// flag at start, and typed into the console's connection dialog.
//
// Properties: accepted parameters name a database and a port in 1..65535,
// hold no NUL, and pass through only known libpq options whose values keep
// to the safe alphabet (QPSQL splices them into a conninfo string), always
// with a connect_timeout; the redacted form does not depend on the password.
#include "fuzz/harness.h"

#include "shared/store/database_url.h"

#include <QRegularExpression>

using namespace daarion::store;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString url = QString::fromUtf8(daarion::fuzz::inputBytes(data, size));
    StoreResult<ConnectionParameters> parsed = parseDatabaseUrl(url);
    if (!parsed) {
        FUZZ_CHECK(parsed.kind() == StoreErrorKind::InvalidInput);
        return 0;
    }
    const ConnectionParameters &parameters = *parsed;
    FUZZ_CHECK(parameters.port >= 1 && parameters.port <= 65535);
    FUZZ_CHECK(!parameters.databaseName.isEmpty() && !parameters.host.isEmpty());
    for (const QString *part :
         {&parameters.host, &parameters.user, &parameters.password, &parameters.databaseName})
        FUZZ_CHECK(!part->contains(QChar(0)));

    static const QRegularExpression option(
        QStringLiteral("^(sslmode|sslrootcert|sslcert|sslkey|connect_timeout|application_name|"
                       "target_session_attrs)"
                       "=[A-Za-z0-9_./:+-]{1,256}$"));
    bool timeout = false;
    for (const QString &entry : parameters.options.split(QLatin1Char(';'))) {
        FUZZ_CHECK(option.match(entry).hasMatch());
        timeout = timeout || entry.startsWith(QLatin1String("connect_timeout="));
    }
    FUZZ_CHECK(timeout);
    // The redacted form says nothing about the password: it is the same with
    // any other. (Searching it for the password's text is not enough: a
    // database name may hold the same characters.)
    ConnectionParameters otherPassword = parameters;
    otherPassword.password = parameters.password + QStringLiteral("x");
    FUZZ_CHECK(otherPassword.redacted() == parameters.redacted());
    return 0;
}
