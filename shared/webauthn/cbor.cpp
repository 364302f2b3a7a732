// The strict CBOR entry point: pre-scan headers, load exactly one item, then
// refuse duplicate map keys. See cbor.h for why cbor_load never sees raw input.
#include "shared/webauthn/cbor.h"

#include <QSet>
#include <QVarLengthArray>

#include <cstring>
#include <limits>

namespace daarion::webauthn {

namespace {

Error malformed(const QString &why)
{
    return fail(ErrorCode::MalformedCredential, QStringLiteral("CBOR: ") + why);
}

// State of the header walk. `open` holds, per open container, how many child
// items it still expects (a map of n entries expects 2n).
struct PreScan {
    QVarLengthArray<std::uint64_t, kMaxCborDepth> open;
    std::uint64_t bytesAfterHeader = 0; // upper bound: bytes left after the current header
    bool itemComplete = false;          // the top-level item has ended
    const char *refusal = nullptr;      // first reason to reject, if any

    void refuse(const char *why)
    {
        if (!refusal)
            refusal = why;
    }

    // One item (leaf or finished container) ended: count it against its parent.
    void finishItem()
    {
        while (!open.isEmpty()) {
            if (--open.last() != 0)
                return;
            open.removeLast(); // the container itself just ended
        }
        itemComplete = true;
    }

    void startContainer(std::uint64_t children)
    {
        if (refusal)
            return;
        // Every child takes at least one byte: a count beyond the remaining
        // bytes is a lie that would make cbor_load allocate for nothing.
        if (children > bytesAfterHeader) {
            refuse("a declared length exceeds the bytes that remain");
            return;
        }
        if (open.size() >= kMaxCborDepth) {
            refuse("nesting is deeper than allowed");
            return;
        }
        if (children == 0) {
            finishItem();
            return;
        }
        open.append(children);
    }
};

PreScan &scan(void *context) { return *static_cast<PreScan *>(context); }

void onLeaf(void *context) { scan(context).finishItem(); }
void onUint8(void *context, uint8_t) { onLeaf(context); }
void onUint16(void *context, uint16_t) { onLeaf(context); }
void onUint32(void *context, uint32_t) { onLeaf(context); }
void onUint64(void *context, uint64_t) { onLeaf(context); }
void onString(void *context, cbor_data, size_t) { onLeaf(context); }
void onBool(void *context, bool) { onLeaf(context); }
void onArray(void *context, size_t count) { scan(context).startContainer(count); }
void onMap(void *context, size_t entries)
{
    PreScan &state = scan(context);
    if (entries > std::numeric_limits<std::uint64_t>::max() / 2) {
        state.refuse("a declared length exceeds the bytes that remain");
        return;
    }
    state.startContainer(std::uint64_t(entries) * 2);
}
void onIndefinite(void *context) { scan(context).refuse("indefinite lengths are not allowed"); }
void onTag(void *context, uint64_t) { scan(context).refuse("tags are not allowed"); }
void onFloat(void *context, float) { scan(context).refuse("floating-point values are not allowed"); }
void onDouble(void *context, double) { scan(context).refuse("floating-point values are not allowed"); }
void onUndefined(void *context) { scan(context).refuse("undefined is not allowed"); }

const cbor_callbacks kPreScanCallbacks = [] {
    cbor_callbacks callbacks = cbor_empty_callbacks;
    callbacks.uint8 = onUint8;
    callbacks.uint16 = onUint16;
    callbacks.uint32 = onUint32;
    callbacks.uint64 = onUint64;
    callbacks.negint8 = onUint8;
    callbacks.negint16 = onUint16;
    callbacks.negint32 = onUint32;
    callbacks.negint64 = onUint64;
    callbacks.byte_string = onString;       // definite byte string
    callbacks.byte_string_start = onIndefinite;
    callbacks.string = onString;            // definite text string
    callbacks.string_start = onIndefinite;
    callbacks.array_start = onArray;        // definite array
    callbacks.indef_array_start = onIndefinite;
    callbacks.map_start = onMap;            // definite map
    callbacks.indef_map_start = onIndefinite;
    callbacks.tag = onTag;
    callbacks.float2 = onFloat;
    callbacks.float4 = onFloat;
    callbacks.float8 = onDouble;
    callbacks.undefined = onUndefined;
    callbacks.null = onLeaf;
    callbacks.boolean = onBool;
    callbacks.indef_break = onIndefinite;
    return callbacks;
}();

// Walks the headers of the first item; returns its length in bytes.
Result<qsizetype> preScan(QByteArrayView bytes)
{
    const auto *data = reinterpret_cast<cbor_data>(bytes.data());
    const size_t size = size_t(bytes.size());
    PreScan state;
    size_t offset = 0;
    while (!state.itemComplete) {
        if (offset >= size)
            return malformed(QStringLiteral("input ends inside an item"));
        state.bytesAfterHeader = size - offset - 1; // a header is at least one byte
        const cbor_decoder_result step =
            cbor_stream_decode(data + offset, size - offset, &kPreScanCallbacks, &state);
        if (step.status == CBOR_DECODER_NEDATA)
            return malformed(QStringLiteral("input ends inside an item"));
        if (step.status != CBOR_DECODER_FINISHED || step.read == 0)
            return malformed(QStringLiteral("not well-formed at byte %1").arg(offset));
        if (state.refusal)
            return malformed(QStringLiteral("%1 (byte %2)").arg(QLatin1StringView(state.refusal)).arg(offset));
        offset += step.read;
    }
    return qsizetype(offset);
}

// A key's identity for duplicate detection: its major type and value, so that
// differently sized encodings of one integer still collide.
std::optional<QByteArray> mapKeyIdentity(const cbor_item_t *key)
{
    switch (cbor_typeof(key)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: {
        const std::uint64_t value = cbor_get_int(key);
        QByteArray identity(1, cbor_typeof(key) == CBOR_TYPE_UINT ? 'u' : 'n');
        identity.append(reinterpret_cast<const char *>(&value), sizeof value);
        return identity;
    }
    case CBOR_TYPE_BYTESTRING: {
        QByteArray identity(1, 'b');
        identity.append(reinterpret_cast<const char *>(cbor_bytestring_handle(key)),
                        qsizetype(cbor_bytestring_length(key)));
        return identity;
    }
    case CBOR_TYPE_STRING: {
        QByteArray identity(1, 't');
        identity.append(reinterpret_cast<const char *>(cbor_string_handle(key)),
                        qsizetype(cbor_string_length(key)));
        return identity;
    }
    default:
        return std::nullopt; // WebAuthn keys are integers or strings; nothing else is accepted
    }
}

Check checkMapKeys(const cbor_item_t *item)
{
    if (cbor_isa_array(item)) {
        cbor_item_t **children = cbor_array_handle(item);
        for (size_t i = 0; i < cbor_array_size(item); ++i) {
            if (Check nested = checkMapKeys(children[i]); !nested)
                return nested;
        }
    } else if (cbor_isa_map(item)) {
        const cbor_pair *pairs = cbor_map_handle(item);
        const size_t size = cbor_map_size(item);
        QSet<QByteArray> seen;
        seen.reserve(qsizetype(size));
        for (size_t i = 0; i < size; ++i) {
            const auto identity = mapKeyIdentity(pairs[i].key);
            if (!identity)
                return malformed(QStringLiteral("a map key is neither an integer nor a string"));
            if (seen.contains(*identity))
                return malformed(QStringLiteral("a map has a duplicate key"));
            seen.insert(*identity);
            if (Check nested = checkMapKeys(pairs[i].value); !nested)
                return nested;
        }
    }
    return Ok{};
}

bool textEquals(const cbor_item_t *item, QByteArrayView text)
{
    return cbor_isa_string(item) && cbor_string_is_definite(item) &&
           qsizetype(cbor_string_length(item)) == text.size() &&
           (text.isEmpty() || std::memcmp(cbor_string_handle(item), text.data(), size_t(text.size())) == 0);
}

} // namespace

Result<DecodedCbor> decodeCbor(QByteArrayView bytes, TrailingBytes trailing)
{
    if (bytes.isEmpty())
        return malformed(QStringLiteral("empty input"));
    Result<qsizetype> span = preScan(bytes);
    if (!span)
        return span.error();
    if (trailing == TrailingBytes::Reject && *span != bytes.size())
        return malformed(QStringLiteral("%1 trailing bytes after the item").arg(bytes.size() - *span));

    cbor_load_result load{};
    CborItemPtr item(cbor_load(reinterpret_cast<cbor_data>(bytes.data()), size_t(*span), &load));
    if (!item || load.error.code != CBOR_ERR_NONE || load.read != size_t(*span))
        return malformed(QStringLiteral("libcbor could not load the item"));
    if (Check keys = checkMapKeys(item.get()); !keys)
        return keys.error();
    return DecodedCbor{std::move(item), *span};
}

const cbor_item_t *cborMapGet(const cbor_item_t *map, std::int64_t key)
{
    if (!map || !cbor_isa_map(map))
        return nullptr;
    const cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i) {
        if (cborInteger(pairs[i].key) == key)
            return pairs[i].value;
    }
    return nullptr;
}

const cbor_item_t *cborMapGet(const cbor_item_t *map, QByteArrayView textKey)
{
    if (!map || !cbor_isa_map(map))
        return nullptr;
    const cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i) {
        if (textEquals(pairs[i].key, textKey))
            return pairs[i].value;
    }
    return nullptr;
}

std::optional<std::int64_t> cborInteger(const cbor_item_t *item)
{
    if (!item)
        return std::nullopt;
    constexpr auto max = std::uint64_t(std::numeric_limits<std::int64_t>::max());
    if (cbor_isa_uint(item)) {
        const std::uint64_t value = cbor_get_int(item);
        if (value > max)
            return std::nullopt;
        return std::int64_t(value);
    }
    if (cbor_isa_negint(item)) {
        const std::uint64_t value = cbor_get_int(item); // the item is -1 - value
        if (value > max)
            return std::nullopt;
        return -1 - std::int64_t(value);
    }
    return std::nullopt;
}

std::optional<QByteArray> cborBytes(const cbor_item_t *item)
{
    if (!item || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item))
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char *>(cbor_bytestring_handle(item)),
                      qsizetype(cbor_bytestring_length(item)));
}

std::optional<QString> cborText(const cbor_item_t *item)
{
    if (!item || !cbor_isa_string(item) || !cbor_string_is_definite(item))
        return std::nullopt;
    const QByteArray utf8(reinterpret_cast<const char *>(cbor_string_handle(item)),
                          qsizetype(cbor_string_length(item)));
    // Invalid UTF-8 would be silently replaced; refuse it instead.
    QString text = QString::fromUtf8(utf8);
    if (text.toUtf8() != utf8)
        return std::nullopt;
    return text;
}

std::optional<bool> cborBool(const cbor_item_t *item)
{
    if (!item || !cbor_isa_float_ctrl(item) || !cbor_is_bool(item))
        return std::nullopt;
    return cbor_get_bool(item);
}

} // namespace daarion::webauthn
