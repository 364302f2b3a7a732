#include "tests/support/cbor_writer.h"

#include <cbor.h>

#include <cstdlib>
#include <limits>
#include <memory>
#include <stdexcept>

namespace daarion::testing
{

namespace
{

struct ItemDeleter {
    void operator()(cbor_item_t *item) const { cbor_decref(&item); }
};
using ItemPtr = std::unique_ptr<cbor_item_t, ItemDeleter>;

ItemPtr checked(cbor_item_t *item)
{
    if (!item)
        throw std::bad_alloc();
    return ItemPtr(item);
}

// CBOR stores a non-negative integer as n and a negative one as -1 - n, in
// the fewest bytes that hold n.
ItemPtr buildInteger(std::int64_t value)
{
    const bool negative = value < 0;
    const std::uint64_t n = negative ? std::uint64_t(-(value + 1)) : std::uint64_t(value);
    if (n <= std::numeric_limits<std::uint8_t>::max())
        return checked(negative ? cbor_build_negint8(std::uint8_t(n))
                                : cbor_build_uint8(std::uint8_t(n)));
    if (n <= std::numeric_limits<std::uint16_t>::max())
        return checked(negative ? cbor_build_negint16(std::uint16_t(n))
                                : cbor_build_uint16(std::uint16_t(n)));
    if (n <= std::numeric_limits<std::uint32_t>::max())
        return checked(negative ? cbor_build_negint32(std::uint32_t(n))
                                : cbor_build_uint32(std::uint32_t(n)));
    return checked(negative ? cbor_build_negint64(n) : cbor_build_uint64(n));
}

} // namespace

CborValue CborValue::array(Array items)
{
    CborValue value;
    value.m_value = std::move(items);
    return value;
}

CborValue CborValue::map(Map entries)
{
    CborValue value;
    value.m_value = std::move(entries);
    return value;
}

CborValue *CborValue::find(const CborValue &key)
{
    for (auto &[k, v] : entries()) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

const CborValue *CborValue::find(const CborValue &key) const
{
    return const_cast<CborValue *>(this)->find(key);
}

void CborValue::set(const CborValue &key, const CborValue &value)
{
    if (CborValue *existing = find(key))
        *existing = value;
    else
        append(key, value);
}

void CborValue::append(const CborValue &key, const CborValue &value)
{
    entries().emplace_back(key, value);
}

int CborValue::remove(const CborValue &key)
{
    Map &map = entries();
    const auto before = map.size();
    std::erase_if(map, [&](const auto &entry) { return entry.first == key; });
    return int(before - map.size());
}

bool CborValue::operator==(const CborValue &other) const
{
    return m_value == other.m_value;
}

static ItemPtr build(const CborValue &value);

static ItemPtr buildArray(const CborValue::Array &items)
{
    ItemPtr array = checked(cbor_new_definite_array(items.size()));
    for (const CborValue &item : items) {
        if (!cbor_array_push(array.get(), build(item).get())) // push takes its own reference
            throw std::bad_alloc();
    }
    return array;
}

static ItemPtr buildMap(const CborValue::Map &entries)
{
    ItemPtr map = checked(cbor_new_definite_map(entries.size()));
    for (const auto &[key, value] : entries) {
        ItemPtr k = build(key);
        ItemPtr v = build(value);
        if (!cbor_map_add(map.get(), cbor_pair{k.get(), v.get()})) // add takes its own references
            throw std::bad_alloc();
    }
    return map;
}

static ItemPtr build(const CborValue &value)
{
    if (value.isInteger())
        return buildInteger(value.toInteger());
    if (value.isBytes()) {
        const QByteArray &bytes = value.toBytes();
        return checked(cbor_build_bytestring(reinterpret_cast<cbor_data>(bytes.constData()),
                                             size_t(bytes.size())));
    }
    if (value.isText()) {
        const QByteArray utf8 = value.toText().toUtf8();
        return checked(cbor_build_stringn(utf8.constData(), size_t(utf8.size())));
    }
    if (value.isArray())
        return buildArray(value.items());
    if (value.isMap())
        return buildMap(value.entries());
    return checked(cbor_build_bool(value == CborValue(true)));
}

QByteArray CborValue::encode() const
{
    ItemPtr item = build(*this);
    unsigned char *buffer = nullptr;
    size_t capacity = 0;
    const size_t length = cbor_serialize_alloc(item.get(), &buffer, &capacity);
    std::unique_ptr<unsigned char, decltype(&std::free)> owned(buffer, &std::free);
    if (length == 0)
        throw std::runtime_error("cbor_serialize_alloc failed");
    return QByteArray(reinterpret_cast<const char *>(buffer), qsizetype(length));
}

} // namespace daarion::testing
