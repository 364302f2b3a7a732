#pragma once
// The last connection the operator chose, remembered in QSettings: host,
// port, user, database and options, never the password (a stale one that
// was ever written is removed on the next save).

#include "shared/store/database_url.h"

class QSettings;

namespace daarion::console {

store::ConnectionParameters loadConnectionSettings(QSettings &settings);
void saveConnectionSettings(QSettings &settings, const store::ConnectionParameters &parameters);

// QPSQL options with a connect timeout, so an unreachable host is reported
// within seconds rather than after the system's TCP timeout.
QString withConnectTimeout(const QString &options, int seconds = 10);

} // namespace daarion::console
