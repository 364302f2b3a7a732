// The strict CBOR entry point (shared/webauthn/cbor.h), which every CBOR
// byte a client sends passes first: attestation objects, COSE keys,
// authenticator extensions.
//
// Properties: an accepted item spans at most the input (exactly, when
// trailing bytes are refused); containers nest at most kMaxCborDepth deep;
// every map key is an integer or a string and looking it up finds its own
// entry (so no key repeats); the typed accessors agree with the item's type.
#include "fuzz/harness.h"

#include "shared/webauthn/cbor.h"

using namespace daarion::webauthn;

namespace
{

void walk(const cbor_item_t *item, int depth)
{
    FUZZ_CHECK(item != nullptr);
    if (cbor_isa_array(item) || cbor_isa_map(item))
        FUZZ_CHECK(++depth <= kMaxCborDepth);
    if (cbor_isa_array(item)) {
        for (size_t i = 0; i < cbor_array_size(item); ++i)
            walk(cbor_array_handle(item)[i], depth);
        return;
    }
    if (cbor_isa_map(item)) {
        const cbor_pair *pairs = cbor_map_handle(item);
        for (size_t i = 0; i < cbor_map_size(item); ++i) {
            const cbor_item_t *key = pairs[i].key;
            if (const auto integer = cborInteger(key)) {
                FUZZ_CHECK(cborMapGet(item, *integer) == pairs[i].value);
            } else if (const auto text = cborText(key)) {
                FUZZ_CHECK(cborMapGet(item, QByteArrayView(text->toUtf8())) == pairs[i].value);
            } else {
                // Byte-string keys, and integers beyond int64 (which the
                // accessors do not represent), are the only other keys.
                FUZZ_CHECK(cbor_isa_bytestring(key) || cbor_isa_uint(key) || cbor_isa_negint(key) ||
                           cbor_isa_string(key));
            }
            walk(key, depth);
            walk(pairs[i].value, depth);
        }
        return;
    }
    FUZZ_CHECK(cborBytes(item).has_value() == cbor_isa_bytestring(item));
    FUZZ_CHECK(!cborBool(item) || cbor_isa_float_ctrl(item));
    FUZZ_CHECK(!cbor_isa_float_ctrl(item) || cbor_is_bool(item) || cbor_is_null(item));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    for (const TrailingBytes trailing : {TrailingBytes::Reject, TrailingBytes::Allow}) {
        Result<DecodedCbor> decoded = decodeCbor(input, trailing);
        if (!decoded)
            continue;
        FUZZ_CHECK(decoded->length > 0 && decoded->length <= input.size());
        FUZZ_CHECK(trailing == TrailingBytes::Allow || decoded->length == input.size());
        walk(decoded->item.get(), 0);
    }
    return 0;
}
