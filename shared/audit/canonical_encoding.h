#pragma once
// The one byte layout every audit hash is taken over: a sequence of
// netstrings, "<decimal byte length>:<bytes>,", with NULL written "-,".
// A value can never run into its neighbour, and a NULL never equals an
// empty string. migrations/006_audit_chain.sql builds the same bytes in SQL
// for rows (audit_row_hash); docs/AUDIT.md specifies both.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace daarion::audit
{

class CanonicalEncoding
{
public:
    // Starts with the domain tag, so a row can never be read as a checkpoint.
    explicit CanonicalEncoding(QByteArrayView domainTag);

    CanonicalEncoding &bytes(QByteArrayView value);
    CanonicalEncoding &text(const QString &value); // UTF-8
    CanonicalEncoding &optionalText(const std::optional<QString> &value);
    CanonicalEncoding &integer(qint64 value);          // decimal
    CanonicalEncoding &unsignedInteger(quint64 value); // decimal
    CanonicalEncoding &optionalInteger(const std::optional<qint64> &value);
    CanonicalEncoding &hex(QByteArrayView value); // lower-case hex of raw bytes
    CanonicalEncoding &null();

    const QByteArray &encoded() const { return m_bytes; }
    QByteArray sha256() const;

private:
    QByteArray m_bytes;
};

} // namespace daarion::audit
