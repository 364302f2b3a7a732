#pragma once
// Test kit for the attestation format suites: keys, certificates with any
// extension a format inspects, authenticatorData for a fresh credential, and
// editable attStmt maps, all made at run time with OpenSSL and libcbor so a
// negative test can break exactly one thing. Header-only: only the
// attestation suites include it.

#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/openssl_handles.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cbor.h>

#include <optional>
#include <stdexcept>

namespace daarion::testing
{

using namespace daarion::webauthn;

inline EvpPkeyPtr generateKey(const char *type, const char *curveOrBits = nullptr)
{
    EVP_PKEY *key = nullptr;
    if (QByteArrayView(type) == QByteArrayView("EC"))
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curveOrBits ? curveOrBits : "P-256");
    else if (QByteArrayView(type) == QByteArrayView("RSA"))
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    else
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    if (!key)
        throw std::runtime_error("key generation failed");
    return EvpPkeyPtr(key);
}

// ECDSA signatures come out DER, RSA PKCS#1 v1.5, EdDSA raw: as WebAuthn wants them.
inline QByteArray signBytes(EVP_PKEY *key, QByteArrayView data, const EVP_MD *md = EVP_sha256())
{
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    const bool edwards = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ||
                         EVP_PKEY_get_base_id(key) == EVP_PKEY_ED448;
    size_t length = 0;
    if (EVP_DigestSignInit(context.get(), nullptr, edwards ? nullptr : md, nullptr, key) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char *>(data.data()),
                       size_t(data.size())) != 1)
        throw std::runtime_error("signing failed");
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(data.data()),
                       size_t(data.size())) != 1)
        throw std::runtime_error("signing failed");
    signature.resize(qsizetype(length));
    return signature;
}

struct ExtensionSpec {
    QByteArray oid;   // dotted
    QByteArray value; // DER contents of extnValue
    bool critical = false;
};

// What an issued certificate says. The defaults meet §8.2.1 (packed).
struct CertificateSpec {
    QList<std::pair<QByteArray, QString>> subject = {
        {"C", QStringLiteral("AA")},
        {"O", QStringLiteral("DAARION Test")},
        {"OU", QStringLiteral("Authenticator Attestation")},
        {"CN", QStringLiteral("Attestation Test Leaf")}};
    std::optional<bool> ca = false; // nullopt: no basicConstraints at all
    int version = 3;
    QDateTime notBefore = QDateTime::currentDateTimeUtc().addDays(-1);
    QDateTime notAfter = QDateTime::currentDateTimeUtc().addYears(5);
    QList<ExtensionSpec> extensions;
    QList<QByteArray> configExtensions; // "subjectAltName=DNS:x", "extendedKeyUsage=...", ...
};

inline QByteArray toDer(X509 *cert)
{
    unsigned char *der = nullptr;
    const int length = i2d_X509(cert, &der);
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

inline ASN1_TIME *setTime(ASN1_TIME *time, const QDateTime &when)
{
    return ASN1_TIME_set(time, time_t(when.toSecsSinceEpoch()));
}

// A certificate for `subjectKey`, signed by `issuerKey` as `issuer`
// (self-signed when issuer is null).
inline X509Ptr issueCertificate(const CertificateSpec &spec, EVP_PKEY *subjectKey, X509 *issuer,
                                EVP_PKEY *issuerKey)
{
    static long serial = 1;
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), spec.version - 1);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
    setTime(X509_getm_notBefore(cert.get()), spec.notBefore);
    setTime(X509_getm_notAfter(cert.get()), spec.notAfter);
    X509_NAME *name = X509_get_subject_name(cert.get());
    for (const auto &[field, value] : spec.subject)
        X509_NAME_add_entry_by_txt(
            name, field.constData(), MBSTRING_UTF8,
            reinterpret_cast<const unsigned char *>(value.toUtf8().constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(cert.get(), subjectKey);

    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    auto addConfigured = [&](const QByteArray &line) {
        const qsizetype equals = line.indexOf('=');
        X509_EXTENSION *extension = X509V3_EXT_conf(
            nullptr, &context, line.left(equals).constData(), line.mid(equals + 1).constData());
        if (!extension)
            throw std::runtime_error("bad extension line");
        X509_add_ext(cert.get(), extension, -1);
        X509_EXTENSION_free(extension);
    };
    if (spec.ca)
        addConfigured(*spec.ca ? "basicConstraints=critical,CA:TRUE"
                               : "basicConstraints=critical,CA:FALSE");
    addConfigured("subjectKeyIdentifier=hash");
    if (issuer)
        addConfigured("authorityKeyIdentifier=keyid");
    for (const QByteArray &line : spec.configExtensions)
        addConfigured(line);
    for (const ExtensionSpec &custom : spec.extensions) {
        ASN1_OBJECT *oid = OBJ_txt2obj(custom.oid.constData(), 1);
        ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(value,
                              reinterpret_cast<const unsigned char *>(custom.value.constData()),
                              int(custom.value.size()));
        X509_EXTENSION *extension =
            X509_EXTENSION_create_by_OBJ(nullptr, oid, custom.critical ? 1 : 0, value);
        X509_add_ext(cert.get(), extension, -1);
        X509_EXTENSION_free(extension);
        ASN1_OCTET_STRING_free(value);
        ASN1_OBJECT_free(oid);
    }
    const bool edwards = EVP_PKEY_get_base_id(issuerKey) == EVP_PKEY_ED25519;
    if (!X509_sign(cert.get(), issuerKey, edwards ? nullptr : EVP_sha256()))
        throw std::runtime_error("certificate signing failed");
    return cert;
}

// A self-signed CA certificate: the kind an operator configures as a root.
struct TestAuthority {
    EvpPkeyPtr key;
    X509Ptr cert;
    QByteArray der;
};

inline TestAuthority makeAuthority(const QString &commonName, TestAuthority *parent = nullptr)
{
    TestAuthority authority;
    authority.key = generateKey("EC", "P-256");
    CertificateSpec spec;
    spec.subject = {
        {"C", QStringLiteral("AA")}, {"O", QStringLiteral("DAARION Test")}, {"CN", commonName}};
    spec.ca = true;
    spec.configExtensions = {"keyUsage=critical,keyCertSign,cRLSign"};
    authority.cert =
        issueCertificate(spec, authority.key.get(), parent ? parent->cert.get() : nullptr,
                         parent ? parent->key.get() : authority.key.get());
    authority.der = toDer(authority.cert.get());
    return authority;
}

// DER helpers for hand-built extension values.
inline QByteArray derLength(qsizetype length)
{
    if (length < 0x80)
        return QByteArray(1, char(length));
    QByteArray bytes;
    while (length > 0) {
        bytes.prepend(char(length & 0xff));
        length >>= 8;
    }
    return QByteArray(1, char(0x80 | bytes.size())) + bytes;
}
inline QByteArray tlv(QByteArray tag, const QByteArray &contents)
{
    return tag + derLength(contents.size()) + contents;
}
inline QByteArray derOctetString(const QByteArray &bytes)
{
    return tlv("\x04", bytes);
}
inline QByteArray derSequence(const QByteArray &contents)
{
    return tlv("\x30", contents);
}
inline QByteArray derInteger(quint8 small)
{
    return tlv("\x02", QByteArray(1, char(small)));
}

// A COSE_Key for an EC P-256 key (alg ES256), encoded with libcbor.
inline QByteArray coseEc2Key(EVP_PKEY *key, std::int64_t alg = -7)
{
    QByteArray point(65, Qt::Uninitialized);
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                    reinterpret_cast<unsigned char *>(point.data()), 65, &length);
    cbor_item_t *map = cbor_new_definite_map(5);
    auto add = [&](cbor_item_t *k, cbor_item_t *v) {
        cbor_map_add(map, cbor_pair{cbor_move(k), cbor_move(v)});
    };
    auto integer = [](std::int64_t value) {
        return value >= 0 ? cbor_build_uint64(quint64(value))
                          : cbor_build_negint64(quint64(-1 - value));
    };
    add(integer(1), integer(2));
    add(integer(3), integer(alg));
    add(integer(-1), integer(1));
    add(integer(-2),
        cbor_build_bytestring(reinterpret_cast<const unsigned char *>(point.constData()) + 1, 32));
    add(integer(-3),
        cbor_build_bytestring(reinterpret_cast<const unsigned char *>(point.constData()) + 33, 32));
    unsigned char *buffer = nullptr;
    size_t size = 0;
    const size_t written = cbor_serialize_alloc(map, &buffer, &size);
    QByteArray out(reinterpret_cast<const char *>(buffer), qsizetype(written));
    free(buffer);
    cbor_decref(&map);
    return out;
}

// authenticatorData (UP, UV, AT) for a fresh credential with `coseKey`.
inline QByteArray authenticatorDataBytes(const QByteArray &coseKey, const QByteArray &aaguid,
                                         const QByteArray &credentialId = QByteArray(32, '\x5a'))
{
    QByteArray raw = sha256("example.org");
    raw += char(0x45);
    raw += QByteArray(4, '\0');
    raw += aaguid;
    raw += char(credentialId.size() >> 8);
    raw += char(credentialId.size() & 0xff);
    raw += credentialId;
    raw += coseKey;
    return raw;
}

inline AuthenticatorData parsedAuthenticatorData(const QByteArray &raw)
{
    auto parsed = parseAuthenticatorData(raw);
    if (!parsed)
        throw std::runtime_error(parsed.error().message.toStdString());
    return parsed.value();
}

// An attStmt map under construction: members in the order added.
class Statement
{
public:
    Statement() : m_map(cbor_new_definite_map(32)) {}
    // Copies every member of an existing attStmt except `without`.
    explicit Statement(const cbor_item_t *existing, const QByteArray &without = {})
        : m_map(cbor_new_definite_map(32))
    {
        const cbor_pair *pairs = cbor_map_handle(existing);
        for (size_t i = 0; i < cbor_map_size(existing); ++i) {
            const QByteArray key(reinterpret_cast<const char *>(cbor_string_handle(pairs[i].key)),
                                 qsizetype(cbor_string_length(pairs[i].key)));
            if (key != without)
                cbor_map_add(m_map.get(), cbor_pair{pairs[i].key, pairs[i].value}); // increfs both
        }
    }
    Statement &set(const QByteArray &key, cbor_item_t *value) // takes `value`
    {
        cbor_map_add(m_map.get(),
                     cbor_pair{cbor_move(cbor_build_stringn(key.constData(), size_t(key.size()))),
                               cbor_move(value)});
        return *this;
    }
    // A member under any key (e.g. a non-text one a format must refuse); takes both.
    Statement &setItem(cbor_item_t *key, cbor_item_t *value)
    {
        cbor_map_add(m_map.get(), cbor_pair{cbor_move(key), cbor_move(value)});
        return *this;
    }
    Statement &bytes(const QByteArray &key, const QByteArray &value)
    {
        return set(key,
                   cbor_build_bytestring(reinterpret_cast<const unsigned char *>(value.constData()),
                                         size_t(value.size())));
    }
    Statement &text(const QByteArray &key, const QByteArray &value)
    {
        return set(key, cbor_build_stringn(value.constData(), size_t(value.size())));
    }
    Statement &integer(const QByteArray &key, std::int64_t value)
    {
        return set(key, value >= 0 ? cbor_build_uint64(quint64(value))
                                   : cbor_build_negint64(quint64(-1 - value)));
    }
    Statement &certificates(const QByteArray &key, const QList<QByteArray> &ders)
    {
        cbor_item_t *array = cbor_new_definite_array(size_t(ders.size()));
        for (const QByteArray &der : ders)
            cbor_array_push(array, cbor_move(cbor_build_bytestring(
                                       reinterpret_cast<const unsigned char *>(der.constData()),
                                       size_t(der.size()))));
        return set(key, array);
    }
    const cbor_item_t *item() const { return m_map.get(); }

private:
    CborItemPtr m_map;
};

// One W3C vector's registration, decoded down to its attestation statement.
struct VectorAttestation {
    QJsonObject json;
    CborItemPtr object;
    QString fmt;
    const cbor_item_t *statement = nullptr;
    QByteArray authDataRaw;
    QByteArray clientDataHash;
    QByteArray root; // DER of attestation_trust_root_der_b64url, empty for none/self
};

inline VectorAttestation loadVector(const QString &name)
{
    QFile file(qEnvironmentVariable("DAARION_TEST_DATA") + QStringLiteral("/vectors/w3c/") + name +
               QStringLiteral(".json"));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("vector missing (is DAARION_TEST_DATA set?)");
    VectorAttestation vector;
    vector.json = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject registration =
        vector.json.value(QLatin1StringView("registration")).toObject();
    auto objectBytes = decodeBase64Url(
        registration.value(QLatin1StringView("attestationObject")).toString().toLatin1());
    auto clientData = decodeBase64Url(
        registration.value(QLatin1StringView("clientDataJSON")).toString().toLatin1());
    if (!objectBytes || !clientData)
        throw std::runtime_error("vector is not base64url");
    auto decoded = decodeCbor(*objectBytes);
    if (!decoded)
        throw std::runtime_error(decoded.error().message.toStdString());
    vector.object = std::move(decoded.value().item);
    vector.fmt = *cborText(cborMapGet(vector.object.get(), QByteArrayView("fmt")));
    vector.statement = cborMapGet(vector.object.get(), QByteArrayView("attStmt"));
    vector.authDataRaw = *cborBytes(cborMapGet(vector.object.get(), QByteArrayView("authData")));
    vector.clientDataHash = sha256(*clientData);
    const QJsonValue root =
        vector.json.value(QLatin1StringView("attestation_trust_root_der_b64url"));
    if (root.isString())
        vector.root = *decodeBase64Url(root.toString().toLatin1());
    return vector;
}

inline Result<AttestationVerdict> verifyStatement(const QString &fmt, const cbor_item_t *statement,
                                                  const AuthenticatorData &authData,
                                                  const QByteArray &clientDataHash,
                                                  const QDateTime &when = {})
{
    AttestationVerifier verifier = attestationVerifierFor(fmt);
    if (!verifier)
        throw std::runtime_error("unknown fmt");
    return verifier(AttestationInput{statement, authData, clientDataHash, when});
}

} // namespace daarion::testing
