#pragma once
// The audit trail as CSV (RFC 4180, UTF-8): one header line, then one line
// per event with full values (UTC times, full credential IDs, user ids).
// Cells that a spreadsheet would run as a formula are prefixed with '.

#include "shared/store/audit_repository.h"

#include <QList>

class QIODevice;

namespace daarion::console {

// False when the device refused to write.
bool writeAuditCsv(QIODevice &device, const QList<store::AuditRecord> &records);
// One field, quoted when needed.
QString csvField(const QString &value);

} // namespace daarion::console
