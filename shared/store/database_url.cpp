#include "shared/store/database_url.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace daarion::store {

namespace {

StoreError invalid(const QString &what)
{
    return storeError(StoreErrorKind::InvalidInput, QStringLiteral("DATABASE_URL: ") + what);
}

// libpq options that pass through to QPSQL's connect options. Their values
// are spliced into a conninfo string by QPSQL, so they are held to a safe
// alphabet here.
const QStringList &passThroughOptions()
{
    static const QStringList keys{QStringLiteral("sslmode"),     QStringLiteral("sslrootcert"),
                                  QStringLiteral("sslcert"),     QStringLiteral("sslkey"),
                                  QStringLiteral("connect_timeout"), QStringLiteral("application_name"),
                                  QStringLiteral("target_session_attrs")};
    return keys;
}

bool isSafeOptionValue(const QString &value)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:+-]{1,256}$"));
    return safe.match(value).hasMatch();
}

} // namespace

QString ConnectionParameters::redacted() const
{
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        text += user + QLatin1Char('@');
    text += host.startsWith(QLatin1Char('/')) ? QString() : host;
    if (!host.startsWith(QLatin1Char('/')))
        text += QLatin1Char(':') + QString::number(port);
    text += QLatin1Char('/') + databaseName;
    if (host.startsWith(QLatin1Char('/')))
        text += QStringLiteral("?host=") + host;
    return text;
}

StoreResult<ConnectionParameters> parseDatabaseUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QStringLiteral("empty"));
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(QStringLiteral("not a valid URL: ") + url.errorString());
    if (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))
        return invalid(QStringLiteral("scheme must be postgresql:// or postgres://"));
    if (!url.fragment().isEmpty())
        return invalid(QStringLiteral("a fragment (#…) is not allowed"));

    ConnectionParameters parameters;
    parameters.user = url.userName(QUrl::FullyDecoded);
    parameters.password = url.password(QUrl::FullyDecoded);
    parameters.host = url.host(QUrl::FullyDecoded);
    if (url.port() != -1)
        parameters.port = url.port();
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.contains(QLatin1Char('/')))
        return invalid(QStringLiteral("the database name may not contain '/'"));
    parameters.databaseName = path;

    QStringList options;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host")) {
            parameters.host = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            parameters.port = value.toInt(&ok);
            if (!ok)
                return invalid(QStringLiteral("port is not a number"));
        } else if (key == QLatin1String("user")) {
            parameters.user = value;
        } else if (key == QLatin1String("password")) {
            parameters.password = value;
        } else if (key == QLatin1String("dbname")) {
            parameters.databaseName = value;
        } else if (passThroughOptions().contains(key)) {
            if (!isSafeOptionValue(value))
                return invalid(QStringLiteral("unsupported characters in the value of ") + key);
            options << key + QLatin1Char('=') + value;
        } else {
            return invalid(QStringLiteral("unknown parameter '") + key + QLatin1Char('\''));
        }
    }
    if (!options.isEmpty() && !options.join(QLatin1Char(';')).contains(QLatin1String("connect_timeout=")))
        options << QStringLiteral("connect_timeout=5");
    if (options.isEmpty())
        options << QStringLiteral("connect_timeout=5"); // an unreachable host fails fast: 503, not a hang
    parameters.options = options.join(QLatin1Char(';'));

    if (parameters.port < 1 || parameters.port > 65535)
        return invalid(QStringLiteral("port out of range"));
    if (parameters.host.isEmpty())
        parameters.host = QStringLiteral("localhost");
    if (parameters.databaseName.isEmpty())
        return invalid(QStringLiteral("no database name (postgresql://…/NAME)"));
    for (const QString *part : {&parameters.host, &parameters.user, &parameters.password, &parameters.databaseName}) {
        if (part->contains(QChar(0)))
            return invalid(QStringLiteral("NUL byte"));
    }
    return parameters;
}

} // namespace daarion::store
