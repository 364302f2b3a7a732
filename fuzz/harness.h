#pragma once
// What every fuzz target shares (harness.cpp is linked into each): the
// input as the daemon would hold it, the fixed relying party of the W3C
// vectors, and FUZZ_CHECK for properties a parser promises. A broken
// property aborts, which libFuzzer reports as a crash with the input saved.

#include "tests/support/vector_relying_party.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

namespace daarion::fuzz
{

// A copy of libFuzzer's buffer, NUL-terminated like every QByteArray the
// daemon reads from a socket.
inline QByteArray inputBytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The W3C vectors' relying party, read once from DAARION_TEST_DATA (default:
// this checkout's tests/data).
const testing::VectorRelyingParty &relyingParty();

[[noreturn]] void propertyBroken(const char *property, const char *file, int line);

} // namespace daarion::fuzz

#define FUZZ_CHECK(property)                                                                       \
    do {                                                                                           \
        if (!(property))                                                                           \
            ::daarion::fuzz::propertyBroken(#property, __FILE__, __LINE__);                        \
    } while (false)
