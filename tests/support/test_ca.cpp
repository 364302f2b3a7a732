#include "tests/support/test_ca.h"

#include "tests/support/soft_credential.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

namespace daarion::testing
{

namespace
{

template <auto Free> struct Deleter {
    template <typename T> void operator()(T *handle) const { Free(handle); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;
using ObjectPtr = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

const char *const kAaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4"; // id-fido-gen-ce-aaguid

[[noreturn]] void failure(const char *what)
{
    throw std::runtime_error(std::string("test CA: ") + what);
}

void check(bool ok, const char *what)
{
    if (!ok)
        failure(what);
}

X509Ptr parse(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr cert(d2i_X509(nullptr, &p, der.size()));
    check(cert != nullptr, "d2i_X509");
    return cert;
}

QByteArray toDer(X509 *cert)
{
    unsigned char *der = nullptr;
    const int length = i2d_X509(cert, &der);
    check(length > 0, "i2d_X509");
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

NamePtr nameFor(const CertificateProfile &profile)
{
    NamePtr name(X509_NAME_new());
    check(name != nullptr, "X509_NAME_new");
    const std::pair<const char *, QString> parts[] = {{"C", profile.country},
                                                      {"O", profile.organization},
                                                      {"OU", profile.organizationalUnit},
                                                      {"CN", profile.commonName}};
    for (const auto &[field, value] : parts) {
        if (value.isEmpty())
            continue;
        const QByteArray utf8 = value.toUtf8();
        check(X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char *>(utf8.constData()),
                                         int(utf8.size()), -1, 0),
              "X509_NAME_add_entry_by_txt");
    }
    return name;
}

void setTime(ASN1_TIME *field, const QDateTime &when)
{
    check(ASN1_TIME_set(field, time_t(when.toSecsSinceEpoch())) != nullptr, "ASN1_TIME_set");
}

void addConfExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    check(extension != nullptr, "X509V3_EXT_conf_nid");
    check(X509_add_ext(cert, extension.get(), -1), "X509_add_ext");
}

// The AAGUID extension's value is an OCTET STRING holding the 16 bytes, and
// extnValue wraps that DER in another OCTET STRING (§8.2.1).
void addAaguidExtension(X509 *cert, const QByteArray &aaguid, bool critical)
{
    OctetStringPtr inner(ASN1_OCTET_STRING_new());
    check(inner && ASN1_OCTET_STRING_set(
                       inner.get(), reinterpret_cast<const unsigned char *>(aaguid.constData()),
                       int(aaguid.size())),
          "ASN1_OCTET_STRING_set");
    unsigned char *der = nullptr;
    const int length = i2d_ASN1_OCTET_STRING(inner.get(), &der);
    check(length > 0, "i2d_ASN1_OCTET_STRING");
    OctetStringPtr value(ASN1_OCTET_STRING_new());
    const bool set = value && ASN1_OCTET_STRING_set(value.get(), der, length);
    OPENSSL_free(der);
    check(set, "ASN1_OCTET_STRING_set");
    ObjectPtr oid(OBJ_txt2obj(kAaguidExtensionOid, 1));
    check(oid != nullptr, "OBJ_txt2obj");
    ExtensionPtr extension(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), critical, value.get()));
    check(extension != nullptr, "X509_EXTENSION_create_by_OBJ");
    check(X509_add_ext(cert, extension.get(), -1), "X509_add_ext");
}

// Ed25519 signs without a separate digest; EC and RSA CAs use SHA-256.
const EVP_MD *signingDigest(EVP_PKEY *key)
{
    return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

// Builds and signs one certificate. issuerCert null: self-signed.
QByteArray makeCertificate(EVP_PKEY *subjectKey, const CertificateProfile &profile,
                           X509 *issuerCert, EVP_PKEY *issuerKey)
{
    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), profile.version - 1), "X509_set_version");

    BnPtr serial(BN_new());
    check(serial && BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
    check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr,
          "BN_to_ASN1_INTEGER");

    const QDateTime now = QDateTime::currentDateTimeUtc();
    setTime(X509_getm_notBefore(cert.get()),
            profile.notBefore.isValid() ? profile.notBefore : now.addDays(-1));
    setTime(X509_getm_notAfter(cert.get()),
            profile.notAfter.isValid() ? profile.notAfter : now.addYears(10));

    NamePtr subject = nameFor(profile);
    check(X509_set_subject_name(cert.get(), subject.get()), "X509_set_subject_name");
    check(X509_set_issuer_name(cert.get(),
                               issuerCert ? X509_get_subject_name(issuerCert) : subject.get()),
          "X509_set_issuer_name");
    check(X509_set_pubkey(cert.get(), subjectKey), "X509_set_pubkey");

    X509 *issuer = issuerCert ? issuerCert : cert.get();
    if (profile.version >= 3) {
        addConfExtension(cert.get(), issuer, NID_basic_constraints,
                         profile.isCa ? "critical,CA:TRUE" : "critical,CA:FALSE");
        addConfExtension(cert.get(), issuer, NID_key_usage,
                         profile.isCa ? "critical,keyCertSign,cRLSign"
                                      : "critical,digitalSignature");
        addConfExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
        if (issuerCert)
            addConfExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
        if (profile.aaguid)
            addAaguidExtension(cert.get(), *profile.aaguid, profile.aaguidCritical);
    }

    check(X509_sign(cert.get(), issuerKey, signingDigest(issuerKey)) > 0, "X509_sign");
    return toDer(cert.get());
}

CertificateProfile rootProfile(const QString &commonName)
{
    CertificateProfile profile;
    profile.organizationalUnit = QStringLiteral("Attestation Roots");
    profile.commonName = commonName;
    profile.isCa = true;
    return profile;
}

} // namespace

TestCa TestCa::createRoot(const QString &commonName)
{
    TestCa ca;
    ca.m_key = generateSoftKey(softalg::ES256);
    ca.m_der = makeCertificate(ca.m_key.get(), rootProfile(commonName), nullptr, ca.m_key.get());
    return ca;
}

TestCa TestCa::createImpostorOf(const TestCa &genuine)
{
    X509Ptr original = parse(genuine.m_der);
    TestCa ca;
    ca.m_key = generateSoftKey(softalg::ES256);
    // Same subject (hence same issuer name for everything it signs), other key.
    X509Ptr cert(X509_dup(original.get()));
    check(cert && X509_set_pubkey(cert.get(), ca.m_key.get()), "X509_set_pubkey");
    // Drop the copied key identifiers; the impostor names its own key.
    for (int nid : {NID_subject_key_identifier, NID_authority_key_identifier}) {
        const int index = X509_get_ext_by_NID(cert.get(), nid, -1);
        if (index >= 0)
            X509_EXTENSION_free(X509_delete_ext(cert.get(), index));
    }
    addConfExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(cert.get(), ca.m_key.get(), EVP_sha256()) > 0, "X509_sign");
    ca.m_der = toDer(cert.get());
    return ca;
}

QByteArray TestCa::certificatePem() const
{
    X509Ptr cert = parse(m_der);
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert.get()), "PEM_write_bio_X509");
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

QByteArray TestCa::issue(EVP_PKEY *subjectKey, const CertificateProfile &profile) const
{
    X509Ptr issuer = parse(m_der);
    return makeCertificate(subjectKey, profile, issuer.get(), m_key.get());
}

TestCa TestCa::issueIntermediate(CertificateProfile profile) const
{
    profile.isCa = true;
    TestCa ca;
    ca.m_key = generateSoftKey(softalg::ES256);
    ca.m_der = issue(ca.m_key.get(), profile);
    return ca;
}

QByteArray selfSignedCertificate(EVP_PKEY *key, const CertificateProfile &profile)
{
    return makeCertificate(key, profile, nullptr, key);
}

} // namespace daarion::testing
