#include "shared/webauthn/jose_ecdsa_signature.h"

#include "shared/webauthn/openssl_handles.h"

#include <openssl/ecdsa.h>

namespace daarion::webauthn
{

std::optional<QByteArray> joseEs256SignatureToDer(QByteArrayView raw)
{
    if (raw.size() != 64)
        return std::nullopt;
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.data());
    BignumPtr r(BN_bin2bn(bytes, 32, nullptr));
    BignumPtr s(BN_bin2bn(bytes + 32, 32, nullptr));
    EcdsaSigPtr signature(ECDSA_SIG_new());
    if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1)
        return std::nullopt;
    r.release(); // owned by the signature now
    s.release();
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(signature.get(), &der);
    if (length <= 0)
        return std::nullopt;
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace daarion::webauthn
