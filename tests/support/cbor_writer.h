#pragma once
// A small editable CBOR value for tests, encoded with libcbor's builders.
//
// The software authenticator builds every CBOR structure it sends (COSE keys,
// attestation statements, attestation objects) as a CborValue first, so a
// negative test can change exactly one thing before the bytes are made: edit
// a member, add a duplicate key (maps keep their entries in order and allow
// duplicates on purpose), or swap a value. Integers are always written in
// their shortest form and maps in the order given.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <concepts>
#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

namespace daarion::testing
{

class CborValue
{
public:
    using Array = std::vector<CborValue>;
    using Map = std::vector<std::pair<CborValue, CborValue>>;

    CborValue() : m_value(std::int64_t{0}) {}
    template <std::integral Integer>
    requires(!std::same_as<Integer, bool>) CborValue(Integer value) : m_value(std::int64_t(value))
    {
    }
    CborValue(const QByteArray &bytes) : m_value(bytes) {}
    CborValue(const QString &text) : m_value(text) {}
    CborValue(const char *text) : m_value(QString::fromUtf8(text)) {}
    CborValue(bool value) : m_value(value) {}
    static CborValue array(Array items = {});
    static CborValue map(Map entries = {});

    bool isInteger() const { return std::holds_alternative<std::int64_t>(m_value); }
    bool isBytes() const { return std::holds_alternative<QByteArray>(m_value); }
    bool isText() const { return std::holds_alternative<QString>(m_value); }
    bool isArray() const { return std::holds_alternative<Array>(m_value); }
    bool isMap() const { return std::holds_alternative<Map>(m_value); }

    std::int64_t toInteger() const { return std::get<std::int64_t>(m_value); }
    const QByteArray &toBytes() const { return std::get<QByteArray>(m_value); }
    const QString &toText() const { return std::get<QString>(m_value); }
    Array &items() { return std::get<Array>(m_value); }
    const Array &items() const { return std::get<Array>(m_value); }
    Map &entries() { return std::get<Map>(m_value); }
    const Map &entries() const { return std::get<Map>(m_value); }

    // Map access by key (the first entry with that key); nullptr when absent.
    CborValue *find(const CborValue &key);
    const CborValue *find(const CborValue &key) const;
    // Replaces the first entry with `key`, or appends one.
    void set(const CborValue &key, const CborValue &value);
    // Appends an entry even when the key is already there (duplicate keys).
    void append(const CborValue &key, const CborValue &value);
    // Removes every entry with `key`; returns how many were removed.
    int remove(const CborValue &key);

    bool operator==(const CborValue &other) const;

    // The encoding, through libcbor's cbor_build_* and cbor_serialize_alloc.
    QByteArray encode() const;

private:
    std::variant<std::int64_t, QByteArray, QString, bool, Array, Map> m_value;
};

} // namespace daarion::testing
