#include "shared/webauthn/attestation/certificate.h"

#include "shared/webauthn/bytes.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <memory>

namespace daarion::webauthn {

namespace {

using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;
using BasicConstraintsPtr =
    std::unique_ptr<BASIC_CONSTRAINTS, OpenSslDeleter<BASIC_CONSTRAINTS_free>>;

Error invalid(const QString &fmt, const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("%1: %2").arg(fmt, what));
}

} // namespace

Result<X509Ptr> parseCertificate(QByteArrayView der)
{
    if (der.isEmpty() || der.size() > kMaxCertificateSize)
        return fail(ErrorCode::AttestationInvalid,
                    QStringLiteral("certificate of %1 bytes (allowed 1..%2)")
                        .arg(der.size())
                        .arg(kMaxCertificateSize));
    auto cursor = reinterpret_cast<const unsigned char *>(der.data());
    X509Ptr cert(d2i_X509(nullptr, &cursor, long(der.size())));
    if (!cert)
        return fail(ErrorCode::AttestationInvalid, QStringLiteral("certificate is not DER X.509"));
    if (cursor != reinterpret_cast<const unsigned char *>(der.data()) + der.size())
        return fail(ErrorCode::AttestationInvalid,
                    QStringLiteral("bytes follow the certificate's DER encoding"));
    // Caches the extensions; OpenSSL marks duplicated or undecodable ones invalid.
    if (X509_get_extension_flags(cert.get()) & EXFLAG_INVALID)
        return fail(ErrorCode::AttestationInvalid,
                    QStringLiteral("certificate has invalid or duplicated extensions"));
    return cert;
}

Result<CertificateChain> parseX5c(const cbor_item_t *x5c, const QString &fmt)
{
    if (!x5c || !cbor_isa_array(x5c) || !cbor_array_is_definite(x5c))
        return invalid(fmt, QStringLiteral("x5c must be an array of certificates"));
    const size_t count = cbor_array_size(x5c);
    if (count < 1 || count > size_t(kMaxX5cCertificates))
        return invalid(fmt, QStringLiteral("x5c holds %1 certificates (allowed 1..%2)")
                                .arg(count)
                                .arg(kMaxX5cCertificates));
    CertificateChain chain;
    cbor_item_t **items = cbor_array_handle(x5c);
    for (size_t i = 0; i < count; ++i) {
        const cbor_item_t *item = items[i];
        if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item))
            return invalid(fmt, QStringLiteral("x5c[%1] is not a byte string").arg(i));
        QByteArray der(reinterpret_cast<const char *>(cbor_bytestring_handle(item)),
                       qsizetype(cbor_bytestring_length(item)));
        auto cert = parseCertificate(der);
        if (!cert)
            return invalid(fmt, QStringLiteral("x5c[%1]: %2").arg(i).arg(cert.error().message));
        chain.der.append(der);
        chain.certificates.push_back(std::move(cert).value());
    }
    return chain;
}

QDateTime effectiveVerificationTime(const QDateTime &when)
{
    return when.isValid() ? when.toUTC() : QDateTime::currentDateTimeUtc();
}

Check checkValidityAt(const CertificateChain &chain, const QDateTime &when, const QString &fmt)
{
    time_t at = time_t(effectiveVerificationTime(when).toSecsSinceEpoch());
    for (size_t i = 0; i < chain.certificates.size(); ++i) {
        X509 *cert = chain.certificates[i].get();
        // X509_cmp_time: <0 when the certificate's time is at or before `at`, 0 on error.
        const int notBefore = X509_cmp_time(X509_get0_notBefore(cert), &at);
        const int notAfter = X509_cmp_time(X509_get0_notAfter(cert), &at);
        if (notBefore == 0 || notAfter == 0)
            return invalid(fmt, QStringLiteral("x5c[%1] has an unreadable validity period").arg(i));
        if (notBefore > 0)
            return invalid(fmt, QStringLiteral("x5c[%1] is not yet valid at %2")
                                    .arg(i)
                                    .arg(effectiveVerificationTime(when).toString(Qt::ISODate)));
        if (notAfter < 0)
            return invalid(fmt, QStringLiteral("x5c[%1] has expired at %2")
                                    .arg(i)
                                    .arg(effectiveVerificationTime(when).toString(Qt::ISODate)));
    }
    return Ok{};
}

EvpPkeyPtr certificatePublicKey(X509 *cert)
{
    return EvpPkeyPtr(X509_get_pubkey(cert));
}

bool publicKeysEqual(EVP_PKEY *a, EVP_PKEY *b)
{
    return a && b && EVP_PKEY_eq(a, b) == 1;
}

std::optional<CertificateExtension> findExtension(X509 *cert, const char *dottedOid)
{
    Asn1ObjectPtr oid(OBJ_txt2obj(dottedOid, 1));
    if (!oid)
        return std::nullopt;
    const int index = X509_get_ext_by_OBJ(cert, oid.get(), -1);
    if (index < 0)
        return std::nullopt;
    X509_EXTENSION *extension = X509_get_ext(cert, index);
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(extension);
    CertificateExtension result;
    result.value = QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(data)),
                              ASN1_STRING_length(data));
    result.critical = X509_EXTENSION_get_critical(extension) != 0;
    return result;
}

QStringList subjectEntries(X509 *cert, int nid)
{
    QStringList values;
    X509_NAME *subject = X509_get_subject_name(cert);
    for (int index = X509_NAME_get_index_by_NID(subject, nid, -1); index >= 0;
         index = X509_NAME_get_index_by_NID(subject, nid, index)) {
        unsigned char *utf8 = nullptr;
        const int length =
            ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
        if (length < 0) {
            values.append(QString()); // unreadable counts as present but empty
            continue;
        }
        values.append(QString::fromUtf8(reinterpret_cast<const char *>(utf8), length));
        OPENSSL_free(utf8);
    }
    return values;
}

bool isCertificateAuthority(X509 *cert)
{
    int critical = 0;
    BasicConstraintsPtr constraints(static_cast<BASIC_CONSTRAINTS *>(
        X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr)));
    return constraints && constraints->ca;
}

Check checkAaguidExtension(X509 *cert, QByteArrayView aaguid, const QString &fmt)
{
    auto extension = findExtension(cert, kAaguidExtensionOid);
    if (!extension)
        return Ok{};
    if (extension->critical)
        return invalid(fmt, QStringLiteral("the AAGUID extension (%1) must not be critical")
                                .arg(QLatin1StringView(kAaguidExtensionOid)));
    auto cursor = reinterpret_cast<const unsigned char *>(extension->value.constData());
    const auto end = cursor + extension->value.size();
    Asn1OctetStringPtr inner(d2i_ASN1_OCTET_STRING(nullptr, &cursor, long(extension->value.size())));
    if (!inner || cursor != end || ASN1_STRING_length(inner.get()) != 16)
        return invalid(fmt, QStringLiteral("the AAGUID extension is not an OCTET STRING of 16 bytes"));
    QByteArrayView certified(reinterpret_cast<const char *>(ASN1_STRING_get0_data(inner.get())), 16);
    if (certified != aaguid)
        return invalid(fmt, QStringLiteral("the certificate's AAGUID %1 differs from authData's %2")
                                .arg(QString::fromLatin1(certified.toByteArray().toHex()),
                                     QString::fromLatin1(aaguid.toByteArray().toHex())));
    return Ok{};
}

} // namespace daarion::webauthn
