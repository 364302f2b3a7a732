#include "shared/audit/audit_row.h"

#include "shared/audit/canonical_encoding.h"

namespace daarion::audit
{

QByteArray rowContentHashAt(const SealedRow &row, qint64 id)
{
    CanonicalEncoding encoding("daarion.audit.row.v1");
    encoding.integer(id);
    if (row.xid)
        encoding.unsignedInteger(*row.xid);
    else
        encoding.null();
    return encoding.integer(row.occurredAtMicros)
        .text(row.event)
        .text(row.outcome)
        .optionalText(row.errorCode)
        .optionalText(row.userId)
        .optionalText(row.username)
        .optionalText(row.passkeyId)
        .optionalText(row.credentialId)
        .optionalText(row.sessionId)
        .optionalText(row.clientIp)
        .optionalText(row.userAgent)
        .optionalText(row.actor)
        .text(row.details)
        .sha256();
}

QByteArray rowContentHash(const SealedRow &row)
{
    return rowContentHashAt(row, row.id);
}

} // namespace daarion::audit
