#pragma once
// How the console writes values in its tables: one place, so every view
// shows times, flags and identifiers the same way.

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace daarion::console::display {

// Local time "2026-11-26 23:05:14"; `never` when the time is null.
QString time(const QDateTime &value, const QString &never = QString());
QString yesNo(bool value);
// COSE algorithm name with its number: "ES256 (-7)".
QString algorithm(int coseAlgorithm);
// 16 bytes as a UUID string; empty for none.
QString aaguid(const QByteArray &bytes);
// First 10 characters and an ellipsis when longer.
QString shortCredentialId(const QString &credentialId);
QString transports(const QStringList &values);

} // namespace daarion::console::display
