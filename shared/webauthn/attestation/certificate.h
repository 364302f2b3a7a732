#pragma once
// X.509 certificates of attestation statements (x5c): strict DER parsing,
// the extensions and subject fields the formats of §8 inspect, validity at
// an instant, and public-key comparison. Everything here fails closed with
// AttestationInvalid.

#include "shared/webauthn/errors.h"
#include "shared/webauthn/openssl_handles.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <cbor.h>

#include <optional>
#include <vector>

namespace daarion::webauthn {

// Real chains have one to four certificates of 0.5-2 KiB each.
inline constexpr qsizetype kMaxX5cCertificates = 8;
inline constexpr qsizetype kMaxCertificateSize = 16 * 1024;

// The id-fido-gen-ce-aaguid extension (§8.2.1): an OCTET STRING that wraps
// an OCTET STRING of the 16-byte AAGUID.
inline constexpr char kAaguidExtensionOid[] = "1.3.6.1.4.1.45724.1.1.4";

struct CertificateChain {
    QList<QByteArray> der;             // leaf first, exactly as received
    std::vector<X509Ptr> certificates; // parsed, same order
    X509 *leaf() const { return certificates.front().get(); }
};

// One DER certificate; the encoding must span `der` exactly, and a
// certificate OpenSSL flags as invalid (e.g. a duplicated extension) is refused.
Result<X509Ptr> parseCertificate(QByteArrayView der);

// attStmt.x5c: a CBOR array of 1..kMaxX5cCertificates byte strings.
Result<CertificateChain> parseX5c(const cbor_item_t *x5c, const QString &fmt);

// Every certificate of the chain is within notBefore..notAfter at `when`.
Check checkValidityAt(const CertificateChain &chain, const QDateTime &when, const QString &fmt);

// The instant attestation is judged at: `when`, or now when `when` is invalid.
QDateTime effectiveVerificationTime(const QDateTime &when);

// A new reference to the certificate's subject public key (null if unreadable).
EvpPkeyPtr certificatePublicKey(X509 *cert);

// Whether two public keys are of the same type with identical public parts.
bool publicKeysEqual(EVP_PKEY *a, EVP_PKEY *b);

struct CertificateExtension {
    QByteArray value; // the contents of extnValue's OCTET STRING
    bool critical = false;
};
// The extension with the dotted OID, or nothing when the certificate has none.
std::optional<CertificateExtension> findExtension(X509 *cert, const char *dottedOid);

// The values of the subject's attributes of type `nid` (UTF-8), in order.
QStringList subjectEntries(X509 *cert, int nid);

// True when basicConstraints is present and says cA TRUE.
bool isCertificateAuthority(X509 *cert);

// §8.2.1 / §8.3.1: when the AAGUID extension is present it must not be
// critical and must hold exactly `aaguid`.
Check checkAaguidExtension(X509 *cert, QByteArrayView aaguid, const QString &fmt);

} // namespace daarion::webauthn
