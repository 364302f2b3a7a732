#include "tests/support/mds_test_blob.h"

#include "tests/support/soft_credential.h"

#include <QJsonDocument>

#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace daarion::testing
{

namespace
{

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// softSign gives DER for ECDSA; JWS wants fixed-width R || S.
QByteArray derToRaw(const QByteArray &der)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    ECDSA_SIG *signature = d2i_ECDSA_SIG(nullptr, &cursor, long(der.size()));
    if (!signature)
        throw std::runtime_error("MDS test signer: not an ECDSA signature");
    QByteArray raw(64, '\0');
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(signature, &r, &s);
    BN_bn2binpad(r, reinterpret_cast<unsigned char *>(raw.data()), 32);
    BN_bn2binpad(s, reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
    ECDSA_SIG_free(signature);
    return raw;
}

QByteArray pssSign(EVP_PKEY *key, const QByteArray &data)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *keyContext = nullptr;
    size_t length = 0;
    bool ok = context &&
              EVP_DigestSignInit(context, &keyContext, EVP_sha256(), nullptr, key) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) == 1 &&
              EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, 32) == 1 &&
              EVP_DigestSign(context, nullptr, &length,
                             reinterpret_cast<const unsigned char *>(data.constData()),
                             size_t(data.size())) == 1;
    QByteArray signature(qsizetype(length), '\0');
    ok = ok && EVP_DigestSign(context, reinterpret_cast<unsigned char *>(signature.data()), &length,
                              reinterpret_cast<const unsigned char *>(data.constData()),
                              size_t(data.size())) == 1;
    EVP_MD_CTX_free(context);
    if (!ok)
        throw std::runtime_error("MDS test signer: PS256 signing failed");
    signature.resize(qsizetype(length));
    return signature;
}

} // namespace

MdsTestSigner MdsTestSigner::create(const QString &jwsAlg, const CertificateProfile &signerProfile)
{
    MdsTestSigner signer;
    signer.m_alg = jwsAlg;
    signer.m_root = TestCa::createRoot(QStringLiteral("DAARION Test MDS Root"));
    CertificateProfile intermediate;
    intermediate.organizationalUnit = QStringLiteral("Metadata Service");
    intermediate.commonName = QStringLiteral("DAARION Test MDS CA");
    signer.m_intermediate = signer.m_root.issueIntermediate(intermediate);
    signer.m_signerKey =
        generateSoftKey(jwsAlg == QLatin1String("ES256") ? softalg::ES256 : softalg::RS256);
    CertificateProfile profile = signerProfile;
    if (profile.commonName == CertificateProfile{}.commonName)
        profile.commonName = QStringLiteral("mds.test.invalid");
    profile.organizationalUnit = QStringLiteral("Metadata Service");
    signer.m_signerDer = signer.m_intermediate.issue(signer.m_signerKey.get(), profile);
    return signer;
}

QByteArray MdsTestSigner::signature(const QByteArray &signingInput) const
{
    if (m_alg == QLatin1String("ES256"))
        return derToRaw(softSign(m_signerKey.get(), softalg::ES256, signingInput));
    if (m_alg == QLatin1String("PS256"))
        return pssSign(m_signerKey.get(), signingInput);
    return softSign(m_signerKey.get(), softalg::RS256, signingInput);
}

QByteArray MdsTestSigner::sign(const QJsonObject &payload, const QJsonObject &headerOverrides) const
{
    QJsonObject header{{QStringLiteral("alg"), m_alg},
                       {QStringLiteral("typ"), QStringLiteral("JWT")},
                       {QStringLiteral("x5c"), x5cArray(chain())}};
    for (auto it = headerOverrides.begin(); it != headerOverrides.end(); ++it) {
        if (it.value().isNull())
            header.remove(it.key());
        else
            header.insert(it.key(), it.value());
    }
    const QByteArray signingInput =
        base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    return signingInput + '.' + base64Url(signature(signingInput));
}

QJsonArray x5cArray(const QList<QByteArray> &certificates)
{
    QJsonArray array;
    for (const QByteArray &der : certificates)
        array.append(QString::fromLatin1(der.toBase64()));
    return array;
}

QJsonObject mdsPayload(qint64 no, const QDate &nextUpdate, const QJsonArray &entries)
{
    return QJsonObject{
        {QStringLiteral("legalHeader"),
         QStringLiteral(
             "Test data made by the daarion-auth test suite; not FIDO Alliance metadata.")},
        {QStringLiteral("no"), no},
        {QStringLiteral("nextUpdate"), nextUpdate.toString(Qt::ISODate)},
        {QStringLiteral("entries"), entries}};
}

QJsonObject mdsEntry(const QUuid &aaguid, const QString &description, const QStringList &statuses,
                     const QString &icon, const QList<QByteArray> &attestationRoots)
{
    const QString id = aaguid.toString(QUuid::WithoutBraces);
    QJsonObject statement{{QStringLiteral("aaguid"), id},
                          {QStringLiteral("description"), description},
                          {QStringLiteral("protocolFamily"), QStringLiteral("fido2")},
                          {QStringLiteral("schema"), 3}};
    if (!icon.isEmpty())
        statement.insert(QStringLiteral("icon"), icon);
    if (!attestationRoots.isEmpty())
        statement.insert(QStringLiteral("attestationRootCertificates"), x5cArray(attestationRoots));
    QJsonArray reports;
    QDate date(2020, 1, 1);
    for (const QString &status : statuses) {
        reports.append(QJsonObject{{QStringLiteral("status"), status},
                                   {QStringLiteral("effectiveDate"), date.toString(Qt::ISODate)}});
        date = date.addDays(1);
    }
    return QJsonObject{
        {QStringLiteral("aaguid"), id},
        {QStringLiteral("metadataStatement"), statement},
        {QStringLiteral("statusReports"), reports},
        {QStringLiteral("timeOfLastStatusChange"), date.addDays(-1).toString(Qt::ISODate)}};
}

QString testPngDataUri()
{
    // 1x1 transparent PNG.
    return QStringLiteral(
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
}

} // namespace daarion::testing
