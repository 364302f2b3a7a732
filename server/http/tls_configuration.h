#pragma once
// TLS_CERT / TLS_KEY → the server's QSslConfiguration (TLS 1.2 or later).

#include "shared/config/settings.h"

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace daarion::server {

// Nothing when TLS is off; on a bad file, nothing and `error` naming the setting.
std::optional<QSslConfiguration> loadTlsConfiguration(const config::Settings &settings, QString *error);

} // namespace daarion::server
