// COSE_Key credential public keys (shared/webauthn/cose_key.h): what
// registration stores and every later sign-in verifies with.
//
// Properties: an accepted key has an OpenSSL key that fits its alg and keeps
// the exact bytes it came from; with RS1 refused, no key claims RS1; and no
// accepted key verifies a signature that anyone can make without a private
// key (for EdDSA: R = the identity point, S = 0, which verifies for every
// message under a small-order public key).
#include "fuzz/harness.h"

#include "shared/webauthn/cose_key.h"

using namespace daarion::webauthn;

namespace
{

// Signatures that need no private key: R = identity (encoded 01 00…), S = 0.
QByteArray identitySignature(qsizetype halfLength)
{
    QByteArray signature(2 * halfLength, '\0');
    signature[0] = 1;
    return signature;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    for (const AllowRs1 rs1 : {AllowRs1::No, AllowRs1::Yes}) {
        Result<CoseKey> key = parseCoseKey(input, rs1);
        if (!key)
            continue;
        FUZZ_CHECK(key->pkey != nullptr);
        FUZZ_CHECK(key->encoded == input);
        FUZZ_CHECK(rs1 == AllowRs1::Yes || key->alg != cose::RS1);
        FUZZ_CHECK(algorithmFitsKey(key->alg, key->pkey.get()));
        const QByteArray message = QByteArrayLiteral("a message no private key signed");
        for (const qsizetype half : {32, 57}) // Ed25519, Ed448
            FUZZ_CHECK(
                !verifySignature(key->pkey.get(), key->alg, message, identitySignature(half)));
        FUZZ_CHECK(!verifySignature(key->pkey.get(), key->alg, message, input));
    }
    return 0;
}
