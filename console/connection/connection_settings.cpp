#include "console/connection/connection_settings.h"

#include <QSettings>

namespace daarion::console {

namespace {
const QString group = QStringLiteral("connection");
}

store::ConnectionParameters loadConnectionSettings(QSettings &settings)
{
    store::ConnectionParameters parameters;
    settings.beginGroup(group);
    parameters.host = settings.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")).toString();
    parameters.port = settings.value(QStringLiteral("port"), 5432).toInt();
    parameters.user = settings.value(QStringLiteral("user"), QStringLiteral("postgres")).toString();
    parameters.databaseName = settings.value(QStringLiteral("database"), QStringLiteral("daarion_auth")).toString();
    parameters.options = settings.value(QStringLiteral("options")).toString();
    settings.endGroup();
    return parameters;
}

void saveConnectionSettings(QSettings &settings, const store::ConnectionParameters &parameters)
{
    settings.beginGroup(group);
    settings.setValue(QStringLiteral("host"), parameters.host);
    settings.setValue(QStringLiteral("port"), parameters.port);
    settings.setValue(QStringLiteral("user"), parameters.user);
    settings.setValue(QStringLiteral("database"), parameters.databaseName);
    settings.setValue(QStringLiteral("options"), parameters.options);
    settings.remove(QStringLiteral("password"));
    settings.endGroup();
    settings.sync();
}

QString withConnectTimeout(const QString &options, int seconds)
{
    if (options.contains(QLatin1String("connect_timeout")))
        return options;
    const QString timeout = QStringLiteral("connect_timeout=%1").arg(seconds);
    return options.isEmpty() ? timeout : options + QLatin1Char(';') + timeout;
}

} // namespace daarion::console
