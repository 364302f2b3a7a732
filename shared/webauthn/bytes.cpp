#include "shared/webauthn/bytes.h"

#include <QCryptographicHash>

#include <openssl/crypto.h>

namespace daarion::webauthn {

std::optional<QByteArrayView> ByteReader::take(qsizetype count)
{
    if (count < 0 || count > remaining())
        return std::nullopt;
    QByteArrayView slice = m_data.sliced(m_offset, count);
    m_offset += count;
    return slice;
}

std::optional<quint8> ByteReader::u8()
{
    auto bytes = take(1);
    if (!bytes)
        return std::nullopt;
    return quint8(bytes->at(0));
}

std::optional<quint16> ByteReader::u16be()
{
    auto bytes = take(2);
    if (!bytes)
        return std::nullopt;
    return quint16((quint8(bytes->at(0)) << 8) | quint8(bytes->at(1)));
}

std::optional<quint32> ByteReader::u32be()
{
    auto bytes = take(4);
    if (!bytes)
        return std::nullopt;
    quint32 value = 0;
    for (char byte : *bytes)
        value = (value << 8) | quint8(byte);
    return value;
}

std::optional<quint64> ByteReader::u64be()
{
    auto bytes = take(8);
    if (!bytes)
        return std::nullopt;
    quint64 value = 0;
    for (char byte : *bytes)
        value = (value << 8) | quint8(byte);
    return value;
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    // Qt tolerates padding; we do not, so that one value has one spelling.
    for (char c : text) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!allowed)
            return std::nullopt;
    }
    if (text.size() % 4 == 1)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    // Non-zero unused trailing bits would give a second spelling of the same bytes.
    if (encodeBase64Url(*decoded) != text)
        return std::nullopt;
    return *decoded;
}

QByteArray encodeBase64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding |
                                        QByteArray::OmitTrailingEquals);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QByteArray sha256(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

} // namespace daarion::webauthn
