// Apple Anonymous attestation statement format, WebAuthn Level 3 §8.8.
//
//   $$attStmtType //= ( fmt: "apple", attStmt: appleStmtFormat )
//   appleStmtFormat = {
//                         x5c: [ credCert: bytes, * (caCert: bytes) ]
//                     }
//
// credCert carries the nonce in extension 1.2.840.113635.100.8.2:
//   SEQUENCE { [1] EXPLICIT OCTET STRING (32 bytes) }
// Members the CDDL does not name: see statement_fields.h. credCert is valid
// for about three days from the credential's creation: a capture is judged
// at the time it was made.
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"

#include <openssl/asn1.h>

#include <optional>

namespace daarion::webauthn
{

namespace
{

const QString kFmt = QStringLiteral("apple");
constexpr char kAppleNonceOid[] = "1.2.840.113635.100.8.2";

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("apple: ") + what);
}

using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;

// Reads one TLV header with the expected class and tag; `cursor` moves to
// its contents, whose length must reach exactly to `end`.
bool enter(const unsigned char *&cursor, const unsigned char *end, int wantClass, int wantTag)
{
    long length = 0;
    int tag = 0;
    int tagClass = 0;
    const int flags = ASN1_get_object(&cursor, &length, &tag, &tagClass, long(end - cursor));
    // 0x80 in the result is ASN1_get_object's error bit.
    return !(flags & 0x80) && (flags & V_ASN1_CONSTRUCTED) && tagClass == wantClass &&
           tag == wantTag && cursor + length == end;
}

std::optional<QByteArray> certifiedNonce(const QByteArray &extensionValue)
{
    auto cursor = reinterpret_cast<const unsigned char *>(extensionValue.constData());
    const auto end = cursor + extensionValue.size();
    if (!enter(cursor, end, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE) ||
        !enter(cursor, end, V_ASN1_CONTEXT_SPECIFIC, 1))
        return std::nullopt;
    Asn1OctetStringPtr nonce(d2i_ASN1_OCTET_STRING(nullptr, &cursor, long(end - cursor)));
    if (!nonce || cursor != end)
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(nonce.get())),
                      ASN1_STRING_length(nonce.get()));
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct AppleStatement {
    CertificateChain x5c;
};

Result<AppleStatement> decodeAppleStatement(const AttestationInput &input)
{
    auto members =
        decodeSignedMembers(input, {Presence::Absent, Presence::Absent, Presence::Required}, kFmt);
    if (!members)
        return members.error();
    return AppleStatement{std::move(*members->x5c)};
}

} // namespace

Result<AttestationVerdict> verifyAppleAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodeAppleStatement(input);
    if (!statement)
        return statement.error();
    const CertificateChain &chain = statement->x5c;
    auto credential = attestedCredential(input, kFmt);
    if (!credential)
        return credential.error();

    // Steps 2-3: nonce = SHA-256(authenticatorData || clientDataHash).
    const QByteArray nonce = sha256(attestedBytes(input));

    // Step 4: the nonce equals the value of extension 1.2.840.113635.100.8.2 in credCert.
    auto extension = findExtension(chain.leaf(), kAppleNonceOid);
    if (!extension)
        return invalid(QStringLiteral("credCert lacks the nonce extension (%1)")
                           .arg(QLatin1StringView(kAppleNonceOid)));
    auto certified = certifiedNonce(extension->value);
    if (!certified)
        return invalid(QStringLiteral("the nonce extension is not SEQUENCE { [1] OCTET STRING }"));
    if (!constantTimeEquals(*certified, nonce))
        return invalid(QStringLiteral("the certified nonce is not "
                                      "SHA-256(authenticatorData || clientDataHash)"));

    // Step 5: the credential public key equals credCert's subject public key.
    EvpPkeyPtr certificateKey = certificatePublicKey(chain.leaf());
    if (!publicKeysEqual(certificateKey.get(), (*credential)->publicKey.pkey.get()))
        return invalid(QStringLiteral("credCert's key is not the credential public key"));

    // Step 6: AnonCA, trust path x5c.
    return AttestationVerdict{AttestationType::AnonCA, chain.der};
}

} // namespace daarion::webauthn
