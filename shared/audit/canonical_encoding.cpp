#include "shared/audit/canonical_encoding.h"

#include <QCryptographicHash>

namespace daarion::audit
{

CanonicalEncoding::CanonicalEncoding(QByteArrayView domainTag)
{
    bytes(domainTag);
}

CanonicalEncoding &CanonicalEncoding::bytes(QByteArrayView value)
{
    m_bytes += QByteArray::number(value.size());
    m_bytes += ':';
    m_bytes += value;
    m_bytes += ',';
    return *this;
}

CanonicalEncoding &CanonicalEncoding::text(const QString &value)
{
    return bytes(value.toUtf8());
}

CanonicalEncoding &CanonicalEncoding::optionalText(const std::optional<QString> &value)
{
    return value ? text(*value) : null();
}

CanonicalEncoding &CanonicalEncoding::integer(qint64 value)
{
    return bytes(QByteArray::number(value));
}

CanonicalEncoding &CanonicalEncoding::unsignedInteger(quint64 value)
{
    return bytes(QByteArray::number(value));
}

CanonicalEncoding &CanonicalEncoding::optionalInteger(const std::optional<qint64> &value)
{
    return value ? integer(*value) : null();
}

CanonicalEncoding &CanonicalEncoding::hex(QByteArrayView value)
{
    return bytes(value.toByteArray().toHex());
}

CanonicalEncoding &CanonicalEncoding::null()
{
    m_bytes += "-,";
    return *this;
}

QByteArray CanonicalEncoding::sha256() const
{
    return QCryptographicHash::hash(m_bytes, QCryptographicHash::Sha256);
}

} // namespace daarion::audit
