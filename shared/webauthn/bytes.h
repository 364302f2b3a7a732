#pragma once
// Byte-level helpers every parser shares: a bounds-checked cursor for fixed
// layouts, strict base64url, and constant-time comparison.

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <optional>

namespace daarion::webauthn {

// Reads fixed-layout structures (authenticatorData, TPM structures) without
// ever stepping past the end: every read fails instead.
class ByteReader
{
public:
    explicit ByteReader(QByteArrayView data) : m_data(data) {}

    qsizetype offset() const { return m_offset; }
    qsizetype remaining() const { return m_data.size() - m_offset; }
    bool atEnd() const { return remaining() == 0; }
    QByteArrayView rest() const { return m_data.sliced(m_offset); }

    std::optional<QByteArrayView> take(qsizetype count);
    std::optional<quint8> u8();
    std::optional<quint16> u16be();
    std::optional<quint32> u32be();
    std::optional<quint64> u64be();
    bool skip(qsizetype count) { return take(count).has_value(); }

private:
    QByteArrayView m_data;
    qsizetype m_offset = 0;
};

// Unpadded base64url (RFC 4648 §5). Rejects padding, '+', '/', whitespace and
// any other character, so one byte string has exactly one accepted text form.
std::optional<QByteArray> decodeBase64Url(QByteArrayView text);
QByteArray encodeBase64Url(QByteArrayView bytes);

// Constant-time equality for secrets and hashes (CRYPTO_memcmp); sizes are not secret.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

QByteArray sha256(QByteArrayView data);

} // namespace daarion::webauthn
