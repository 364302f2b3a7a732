#pragma once
// How the audit chain looks as JSON for `daarion-authd audit verify` and
// `audit export` (docs/AUDIT.md lists every member). Hashes, keys and
// signatures are lower-case hex; times RFC 3339 UTC with microseconds
// where the database keeps them.

#include "shared/audit/chain_verifier.h"
#include "shared/audit/checkpoint.h"
#include "shared/store/audit_export.h"

#include <QJsonObject>

namespace daarion::server
{

QString rfc3339Micros(qint64 microsSinceEpoch);

QJsonObject checkpointJson(const audit::Checkpoint &checkpoint);
QJsonObject chainReportJson(const audit::ChainReport &report);
// One line of an export: the event, its seal, its checkpoint, its audit path.
QJsonObject exportedEventJson(const store::ExportedEvent &event);

} // namespace daarion::server
