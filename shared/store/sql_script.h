#pragma once
// Splits a migration file into single statements. QPSQL runs only the first
// result of a multi-statement string and silently drops an error in a later
// one, so each statement is sent on its own. Understands '…' and E'…'
// strings, "…" identifiers, $tag$…$tag$ bodies, -- and /* */ comments.

#include <QString>
#include <QStringList>

namespace daarion::store {

// Statements without their terminating ';', comments kept, blank ones dropped.
QStringList splitSqlScript(const QString &script);

} // namespace daarion::store
