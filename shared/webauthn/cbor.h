#pragma once
// The only door from untrusted bytes into libcbor.
//
// libcbor 0.8 allocates whatever a header declares (a 9-byte input can cost
// 512 MB) and accepts duplicate map keys. decodeCbor() therefore first walks
// the headers with cbor_stream_decode, rejecting indefinite lengths, tags,
// nesting deeper than kMaxCborDepth, and any declared count larger than the
// bytes that remain; only the exact span of one well-formed item is then
// handed to cbor_load. Maps with duplicate keys are rejected after loading.
// Nothing WebAuthn never sends is accepted either: floats, undefined, and map
// keys other than integers and strings. Booleans and null are fine.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cbor.h>

#include <cstdint>
#include <memory>
#include <optional>

namespace daarion::webauthn {

inline constexpr int kMaxCborDepth = 8;

struct CborItemDeleter {
    void operator()(cbor_item_t *item) const { cbor_decref(&item); }
};
using CborItemPtr = std::unique_ptr<cbor_item_t, CborItemDeleter>;

struct DecodedCbor {
    CborItemPtr item;
    qsizetype length = 0; // bytes the item took from the input
};

enum class TrailingBytes { Reject, Allow };

// Decodes one item from the front of `bytes`. With TrailingBytes::Reject the
// item must span the whole input. Errors are MalformedCredential.
Result<DecodedCbor> decodeCbor(QByteArrayView bytes, TrailingBytes trailing = TrailingBytes::Reject);

// Typed, null-safe accessors over a decoded tree. They return nothing (or
// nullptr) when the item is absent or of another type.
const cbor_item_t *cborMapGet(const cbor_item_t *map, std::int64_t key);
const cbor_item_t *cborMapGet(const cbor_item_t *map, QByteArrayView textKey);
std::optional<std::int64_t> cborInteger(const cbor_item_t *item);
std::optional<QByteArray> cborBytes(const cbor_item_t *item);
std::optional<QString> cborText(const cbor_item_t *item);
std::optional<bool> cborBool(const cbor_item_t *item);

} // namespace daarion::webauthn
