#pragma once
// Finds the database to work on before any window opens: DATABASE_URL when
// set, else the connection dialog (prefilled from QSettings). Each choice is
// checked off the GUI thread; a failure is explained and the operator may
// retry, change the connection, or quit — never an empty window.

#include "shared/store/database_url.h"

#include <QString>

#include <optional>

class QSettings;

namespace daarion::console {

class ConnectionStartup
{
public:
    // databaseUrl: the value of DATABASE_URL (empty when unset).
    ConnectionStartup(QSettings &settings, QString databaseUrl);

    // The checked connection, or nullopt when the operator gave up.
    std::optional<store::ConnectionParameters> run();

private:
    std::optional<store::ConnectionParameters> askWithDialog(const store::ConnectionParameters &initial,
                                                             const QString &problem);
    QSettings &m_settings;
    QString m_databaseUrl;
};

} // namespace daarion::console
