#pragma once
// One auth_events row as its seal sees it: every column in the text form
// PostgreSQL gives it (uuid lower-case with hyphens, jsonb as jsonb prints
// it), occurred_at as whole microseconds since the Unix epoch. The store
// reads rows in exactly this form, so the hash computed here must equal the
// one the database trigger wrote on insert (audit_row_hash in
// migrations/006_audit_chain.sql); verification never trusts that function.

#include <QByteArray>
#include <QString>

#include <optional>

namespace daarion::audit
{

struct SealedRow {
    qint64 id = 0;
    std::optional<quint64> xid{}; // inserting transaction (xid8); none: inserted around the trigger
    qint64 occurredAtMicros = 0;  // since 1970-01-01T00:00:00Z
    QString event{};
    QString outcome{};
    std::optional<QString> errorCode{};
    std::optional<QString> userId{};
    std::optional<QString> username{};
    std::optional<QString> passkeyId{};
    std::optional<QString> credentialId{};
    std::optional<QString> sessionId{};
    std::optional<QString> clientIp{};
    std::optional<QString> userAgent{};
    std::optional<QString> actor{};
    QString details{};       // jsonb::text
    QByteArray storedHash{}; // row_hash as stored (empty: none)
};

// SHA-256 of the row's canonical encoding ("daarion.audit.row.v1").
QByteArray rowContentHash(const SealedRow &row);
// The same, as if the row's content sat under another id: finds rows that
// were moved (reordered) rather than changed.
QByteArray rowContentHashAt(const SealedRow &row, qint64 id);

} // namespace daarion::audit
