// The attestation statement formats of WebAuthn Level 3 §8, directly: every
// W3C vector's statement verifies through its format, and each rule of each
// format is broken once (on a vector, or on a statement built here with
// OpenSSL-made keys and certificates) and must be refused with
// attestation_invalid.
#include "attestation_test_kit.h"

#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/attestation/trust_anchors.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace daarion::webauthn;
using namespace daarion::testing;

Q_DECLARE_METATYPE(daarion::webauthn::AttestationType)

namespace
{

const QByteArray kAaguid = QByteArray::fromHex("876ca4f52071c3e9b25509ef2cdf7ed6");

#define EXPECT_OK(result)                                                                          \
    QVERIFY2((result).ok(), (result).ok() ? "" : qPrintable((result).error().message))

#define EXPECT_INVALID(result, messagePart)                                                        \
    do {                                                                                           \
        const auto &r_ = (result);                                                                 \
        QVERIFY2(!r_.ok(), "verified but should not have");                                        \
        QCOMPARE(r_.error().code, ErrorCode::AttestationInvalid);                                  \
        QVERIFY2(r_.error().message.contains(QLatin1StringView(messagePart)),                      \
                 qPrintable(r_.error().message));                                                  \
    } while (false)

QByteArray flipLastByte(QByteArray bytes)
{
    bytes[bytes.size() - 1] = char(bytes.at(bytes.size() - 1) ^ 0x01);
    return bytes;
}

QByteArray statementBytesOf(const cbor_item_t *statement, const char *member)
{
    return *cborBytes(cborMapGet(statement, QByteArrayView(member)));
}

QByteArray firstCertificate(const cbor_item_t *statement)
{
    const cbor_item_t *x5c = cborMapGet(statement, QByteArrayView("x5c"));
    return *cborBytes(cbor_array_handle(x5c)[0]);
}

// A fresh credential (EC P-256) and the authData that names it.
struct FreshCredential {
    EvpPkeyPtr key = generateKey("EC", "P-256");
    QByteArray authDataRaw = authenticatorDataBytes(coseEc2Key(key.get()), kAaguid);
    AuthenticatorData authData = parsedAuthenticatorData(authDataRaw);
    QByteArray clientDataHash = sha256("clientDataJSON of this test");
    QByteArray attested() const { return authDataRaw + clientDataHash; }
};

// A packed statement signed by a certificate made from `spec`.
struct PackedFixture {
    FreshCredential credential;
    EvpPkeyPtr attestationKey = generateKey("EC", "P-256");
    TestAuthority root = makeAuthority(QStringLiteral("Packed Test Root"));
    QByteArray leaf;

    Statement statement(const CertificateSpec &spec)
    {
        X509Ptr cert =
            issueCertificate(spec, attestationKey.get(), root.cert.get(), root.key.get());
        leaf = toDer(cert.get());
        Statement statement;
        statement.integer("alg", -7)
            .bytes("sig", signBytes(attestationKey.get(), credential.attested()))
            .certificates("x5c", {leaf});
        return statement;
    }
    Result<AttestationVerdict> verify(const CertificateSpec &spec, const QDateTime &when = {})
    {
        Statement made = statement(spec);
        return verifyStatement(QStringLiteral("packed"), made.item(), credential.authData,
                               credential.clientDataHash, when);
    }
};

ExtensionSpec aaguidExtension(const QByteArray &aaguid, bool critical = false)
{
    return {"1.3.6.1.4.1.45724.1.1.4", derOctetString(aaguid), critical};
}

// KeyDescription (Android Key Attestation) with the given challenge and
// softwareEnforced / teeEnforced AuthorizationList contents.
QByteArray keyDescription(const QByteArray &challenge, const QByteArray &software,
                          const QByteArray &tee)
{
    return derSequence(derInteger(3) + tlv("\x0a", QByteArray(1, '\x01')) + derInteger(4) +
                       tlv("\x0a", QByteArray(1, '\x01')) + derOctetString(challenge) +
                       derOctetString({}) + derSequence(software) + derSequence(tee));
}
// [1] EXPLICIT SET OF INTEGER
QByteArray purposeList(quint8 purpose)
{
    return tlv("\xa1", tlv("\x31", derInteger(purpose)));
}
// [702] EXPLICIT INTEGER: tag bytes bf 85 3e
QByteArray originMember(quint8 origin)
{
    return tlv("\xbf\x85\x3e", derInteger(origin));
}
// [600] EXPLICIT NULL: tag bytes bf 84 58
QByteArray allApplicationsMember()
{
    return tlv("\xbf\x84\x58", QByteArray("\x05\x00", 2));
}

struct AndroidKeyFixture {
    FreshCredential credential;
    TestAuthority root = makeAuthority(QStringLiteral("Android Test Root"));

    Result<AttestationVerdict> verify(const QByteArray &description,
                                      EVP_PKEY *certifiedKey = nullptr, bool withExtension = true)
    {
        CertificateSpec spec;
        if (withExtension)
            spec.extensions = {{"1.3.6.1.4.1.11129.2.1.17", description, false}};
        EVP_PKEY *subject = certifiedKey ? certifiedKey : credential.key.get();
        X509Ptr cert = issueCertificate(spec, subject, root.cert.get(), root.key.get());
        Statement statement;
        statement.integer("alg", -7)
            .bytes("sig", signBytes(subject, credential.attested()))
            .certificates("x5c", {toDer(cert.get()), root.der});
        return verifyStatement(QStringLiteral("android-key"), statement.item(), credential.authData,
                               credential.clientDataHash);
    }
};

QByteArray appleNonceExtension(const QByteArray &nonce)
{
    return derSequence(tlv("\xa1", derOctetString(nonce)));
}

struct AppleFixture {
    FreshCredential credential;
    TestAuthority root = makeAuthority(QStringLiteral("Apple Test Root"));

    Result<AttestationVerdict> verify(const QByteArray &extensionValue,
                                      EVP_PKEY *certifiedKey = nullptr)
    {
        CertificateSpec spec;
        spec.extensions = {{"1.2.840.113635.100.8.2", extensionValue, false}};
        X509Ptr cert = issueCertificate(spec, certifiedKey ? certifiedKey : credential.key.get(),
                                        root.cert.get(), root.key.get());
        Statement statement;
        statement.certificates("x5c", {toDer(cert.get()), root.der});
        return verifyStatement(QStringLiteral("apple"), statement.item(), credential.authData,
                               credential.clientDataHash);
    }
};

// A SafetyNet JWS made here: Google's format, our keys.
struct SafetyNetFixture {
    FreshCredential credential;
    TestAuthority root = makeAuthority(QStringLiteral("SafetyNet Test Root"));
    QDateTime now = QDateTime::currentDateTimeUtc();

    struct Options {
        const char *keyType = "RSA";
        QByteArray alg = "RS256";
        QByteArray hostname = "attest.android.com";
        std::optional<QByteArray> nonce; // default: the right one
        QJsonValue ctsProfileMatch = true;
        qint64 ageMs = 2000;
        bool tamperSignature = false;
        bool extraMember = false; // a member the CDDL does not name
    };

    Result<AttestationVerdict> verify(const Options &options)
    {
        EvpPkeyPtr key = generateKey(options.keyType);
        CertificateSpec spec;
        spec.subject = {{"C", QStringLiteral("US")},
                        {"O", QStringLiteral("Google LLC")},
                        {"CN", QString::fromLatin1(options.hostname)}};
        spec.configExtensions = {"subjectAltName=DNS:" + options.hostname};
        X509Ptr cert = issueCertificate(spec, key.get(), root.cert.get(), root.key.get());

        QJsonObject header{
            {QStringLiteral("alg"), QString::fromLatin1(options.alg)},
            {QStringLiteral("x5c"), QJsonArray{QString::fromLatin1(toDer(cert.get()).toBase64()),
                                               QString::fromLatin1(root.der.toBase64())}}};
        QJsonObject payload{
            {QStringLiteral("nonce"),
             QString::fromLatin1(options.nonce.value_or(sha256(credential.attested()).toBase64()))},
            {QStringLiteral("timestampMs"), double(now.toMSecsSinceEpoch() - options.ageMs)},
            {QStringLiteral("apkPackageName"), QStringLiteral("com.google.android.gms")},
            {QStringLiteral("ctsProfileMatch"), options.ctsProfileMatch},
            {QStringLiteral("basicIntegrity"), true}};
        const QByteArray signingInput =
            encodeBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
            encodeBase64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
        QByteArray signature = signBytes(key.get(), signingInput);
        if (options.alg == "ES256" && QByteArrayView(options.keyType) == "EC") { // DER -> r || s
            auto cursor = reinterpret_cast<const unsigned char *>(signature.constData());
            EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &cursor, long(signature.size())));
            QByteArray raw(64, '\0');
            BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()),
                         reinterpret_cast<unsigned char *>(raw.data()), 32);
            BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()),
                         reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
            signature = raw;
        }
        if (options.tamperSignature)
            signature = flipLastByte(signature);
        Statement statement;
        statement.text("ver", "14366018")
            .bytes("response", signingInput + '.' + encodeBase64Url(signature));
        if (options.extraMember)
            statement.text("futureMember", "not in Level 3");
        return verifyStatement(QStringLiteral("android-safetynet"), statement.item(),
                               credential.authData, credential.clientDataHash, now);
    }
};

// TPM structures for a fresh EC P-256 credential, certified by a made AIK.
QByteArray u16(quint16 value)
{
    QByteArray bytes;
    bytes.append(char(value >> 8));
    bytes.append(char(value & 0xff));
    return bytes;
}

QByteArray eccPubArea(EVP_PKEY *key)
{
    QByteArray point(65, Qt::Uninitialized);
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                    reinterpret_cast<unsigned char *>(point.data()), 65, &length);
    return u16(0x0023) + u16(0x000b) + QByteArray::fromHex("00060472") + u16(0) + u16(0x0010) +
           u16(0x0010) + u16(0x0003) + u16(0x0010) + u16(32) + point.mid(1, 32) + u16(32) +
           point.mid(33, 32);
}

QByteArray certInfoFor(const QByteArray &extraData, const QByteArray &pubArea)
{
    const QByteArray name = u16(0x000b) + sha256(pubArea);
    return QByteArray::fromHex("ff5443478017") + u16(0) + u16(quint16(extraData.size())) +
           extraData + QByteArray(17, '\x01') + QByteArray(8, '\0') + u16(quint16(name.size())) +
           name + u16(0);
}

CertificateSpec aikSpec()
{
    CertificateSpec spec;
    spec.subject = {}; // §8.3.1: empty
    spec.configExtensions = {"extendedKeyUsage=2.23.133.8.3"};
    // SAN directoryName {tpmManufacturer, tpmModel, tpmVersion}, DER by hand.
    auto attribute = [](const char *oidDer, const QByteArray &value) {
        return tlv("\x31", derSequence(tlv("\x06", QByteArray(oidDer, 5)) + tlv("\x0c", value)));
    };
    const QByteArray directoryName = derSequence(attribute("\x67\x81\x05\x02\x01", "id:FFFFF1D0") +
                                                 attribute("\x67\x81\x05\x02\x02", "NPCT6xx") +
                                                 attribute("\x67\x81\x05\x02\x03", "id:00070002"));
    spec.extensions = {{"2.5.29.17", derSequence(tlv("\xa4", directoryName)), true}};
    return spec;
}

struct TpmFixture {
    FreshCredential credential;
    EvpPkeyPtr aikKey = generateKey("EC", "P-256");
    TestAuthority root = makeAuthority(QStringLiteral("TPM Test Root"));

    Result<AttestationVerdict> verify(const CertificateSpec &spec)
    {
        const QByteArray pubArea = eccPubArea(credential.key.get());
        const QByteArray certInfo = certInfoFor(sha256(credential.attested()), pubArea);
        X509Ptr aik = issueCertificate(spec, aikKey.get(), root.cert.get(), root.key.get());
        Statement statement;
        statement.text("ver", "2.0")
            .integer("alg", -7)
            .certificates("x5c", {toDer(aik.get()), root.der})
            .bytes("sig", signBytes(aikKey.get(), certInfo))
            .bytes("certInfo", certInfo)
            .bytes("pubArea", pubArea);
        return verifyStatement(QStringLiteral("tpm"), statement.item(), credential.authData,
                               credential.clientDataHash);
    }
};

} // namespace

class TestAttestationFormats : public QObject
{
    Q_OBJECT

private slots:
    // ---- every W3C vector, through its own format --------------------------------------

    void vectorsVerify_data()
    {
        QTest::addColumn<QString>("vector");
        QTest::addColumn<AttestationType>("type");
        QTest::newRow("packed-es256") << QStringLiteral("packed-es256") << AttestationType::Basic;
        QTest::newRow("packed-es384") << QStringLiteral("packed-es384") << AttestationType::Basic;
        QTest::newRow("packed-es512") << QStringLiteral("packed-es512") << AttestationType::Basic;
        QTest::newRow("packed-rs256") << QStringLiteral("packed-rs256") << AttestationType::Basic;
        QTest::newRow("packed-eddsa") << QStringLiteral("packed-eddsa") << AttestationType::Basic;
        QTest::newRow("packed-ed448") << QStringLiteral("packed-ed448") << AttestationType::Basic;
        QTest::newRow("packed-self-es256")
            << QStringLiteral("packed-self-es256") << AttestationType::Self;
        QTest::newRow("fido-u2f-es256")
            << QStringLiteral("fido-u2f-es256") << AttestationType::Basic;
        QTest::newRow("tpm-es256") << QStringLiteral("tpm-es256") << AttestationType::AttCA;
        QTest::newRow("apple-es256") << QStringLiteral("apple-es256") << AttestationType::AnonCA;
    }

    void vectorsVerify()
    {
        QFETCH(QString, vector);
        QFETCH(AttestationType, type);
        VectorAttestation v = loadVector(vector);
        AuthenticatorData authData = parsedAuthenticatorData(v.authDataRaw);
        auto verdict = verifyStatement(v.fmt, v.statement, authData, v.clientDataHash);
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, type);
        if (type == AttestationType::Self) {
            QVERIFY(verdict->trustPath.isEmpty());
            QVERIFY(v.root.isEmpty());
            return;
        }
        QCOMPARE(verdict->trustPath.front(), firstCertificate(v.statement));

        // Trusted with the vector's root configured for this format or for all;
        // untrusted with no roots or with the root filed under another format.
        TrustAnchors none;
        QVERIFY(!none.chainsToRoot(verdict->trustPath, v.fmt, {}));
        TrustAnchors forFormat;
        forFormat.addRoot(v.root, v.fmt);
        QVERIFY(forFormat.chainsToRoot(verdict->trustPath, v.fmt, {}));
        TrustAnchors global;
        global.addRoot(v.root);
        QVERIFY(global.chainsToRoot(verdict->trustPath, v.fmt, {}));
        TrustAnchors otherFormat;
        otherFormat.addRoot(v.root, v.fmt == QLatin1StringView("tpm") ? QStringLiteral("packed")
                                                                      : QStringLiteral("tpm"));
        QVERIFY(!otherFormat.chainsToRoot(verdict->trustPath, v.fmt, {}));
    }

    // ---- the same vectors, one thing changed -----------------------------------------

    void vectorsRefuseAnotherClientDataHash_data() { attestedVectors(); }
    void vectorsRefuseAnotherClientDataHash()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        auto verdict = verifyStatement(v.fmt, v.statement, parsedAuthenticatorData(v.authDataRaw),
                                       flipLastByte(v.clientDataHash));
        EXPECT_INVALID(verdict, "");
    }

    void vectorsRefuseChangedAuthenticatorData_data() { attestedVectors(); }
    void vectorsRefuseChangedAuthenticatorData()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        QByteArray raw = v.authDataRaw;
        raw[0] = char(raw.at(0) ^ 0x01); // rpIdHash: every format signs over it
        auto verdict =
            verifyStatement(v.fmt, v.statement, parsedAuthenticatorData(raw), v.clientDataHash);
        EXPECT_INVALID(verdict, "");
    }

    void vectorsRefuseTamperedSignature_data()
    {
        QTest::addColumn<QString>("vector");
        for (const char *name : {"packed-es256", "packed-es384", "packed-es512", "packed-rs256",
                                 "packed-eddsa", "packed-ed448", "packed-self-es256",
                                 "fido-u2f-es256", "tpm-es256", "android-key-es256"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void vectorsRefuseTamperedSignature()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement tampered(v.statement, "sig");
        tampered.bytes("sig", flipLastByte(statementBytesOf(v.statement, "sig")));
        auto verdict = verifyStatement(v.fmt, tampered.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        EXPECT_INVALID(verdict, "sig does not verify");
    }

    // Members the CDDL does not name (statement_fields.h): ignored, as the
    // established verifiers ignore them; ecdaaKeyId, non-text keys and
    // oversized maps refused.
    void vectorsIgnoreUnknownMember_data() { attestedVectors(); }
    void vectorsIgnoreUnknownMember()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        const AuthenticatorData authData = parsedAuthenticatorData(v.authDataRaw);
        Statement extended(v.statement);
        extended.text("futureMember", "not in Level 3").integer("rev", 3);
        auto verdict = verifyStatement(v.fmt, extended.item(), authData, v.clientDataHash);
        EXPECT_OK(verdict);
        auto plain = verifyStatement(v.fmt, v.statement, authData, v.clientDataHash);
        EXPECT_OK(plain);
        QCOMPARE(verdict->type, plain->type);
        QCOMPARE(verdict->trustPath, plain->trustPath);
    }

    void vectorsRefuseEcdaaKeyId_data() { attestedVectors(); }
    void vectorsRefuseEcdaaKeyId()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement extended(v.statement);
        extended.bytes("ecdaaKeyId", QByteArray(32, '\x01'));
        auto verdict = verifyStatement(v.fmt, extended.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        EXPECT_INVALID(verdict, "unexpected member \"ecdaaKeyId\"");
    }

    void vectorsRefuseNonTextKey_data() { attestedVectors(); }
    void vectorsRefuseNonTextKey()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement extended(v.statement);
        extended.setItem(cbor_build_uint8(3), cbor_build_uint8(1));
        auto verdict = verifyStatement(v.fmt, extended.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        EXPECT_INVALID(verdict, "key that is not text");
    }

    void vectorsRefuseOversizedStatement_data() { attestedVectors(); }
    void vectorsRefuseOversizedStatement()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement extended(v.statement);
        for (int i = 0; i < int(kMaxStatementMembers); ++i)
            extended.integer("extra" + QByteArray::number(i), i);
        auto verdict = verifyStatement(v.fmt, extended.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        EXPECT_INVALID(verdict, "(at most 16)");
    }

    void noneRefusesAnyMember()
    {
        VectorAttestation v = loadVector(QStringLiteral("none-es256"));
        const AuthenticatorData authData = parsedAuthenticatorData(v.authDataRaw);
        EXPECT_OK(verifyStatement(v.fmt, v.statement, authData, v.clientDataHash));
        Statement extended(v.statement);
        extended.text("futureMember", "not in Level 3");
        EXPECT_INVALID(verifyStatement(v.fmt, extended.item(), authData, v.clientDataHash),
                       "attStmt must be the empty map");
    }

    void safetyNetIgnoresUnknownMember()
    {
        SafetyNetFixture fixture;
        SafetyNetFixture::Options options;
        options.extraMember = true;
        EXPECT_OK(fixture.verify(options));
    }

    void vectorsRefuseMissingX5c_data() { attestedVectors(false); }
    void vectorsRefuseMissingX5c()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        // (packed without x5c is self attestation: see packedWithoutX5cIsSelfAttestation)
        Statement stripped(v.statement, "x5c");
        auto verdict = verifyStatement(v.fmt, stripped.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        EXPECT_INVALID(verdict, "x5c");
    }

    void vectorsRefuseCertificateWithTrailingBytes_data() { attestedVectors(); }
    void vectorsRefuseCertificateWithTrailingBytes()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement padded(v.statement, "x5c");
        padded.certificates("x5c", {firstCertificate(v.statement) + QByteArray(1, '\0')});
        auto verdict = verifyStatement(v.fmt, padded.item(), parsedAuthenticatorData(v.authDataRaw),
                                       v.clientDataHash);
        EXPECT_INVALID(verdict, "bytes follow the certificate");
    }

    void vectorsRefuseTooManyCertificates_data() { attestedVectors(); }
    void vectorsRefuseTooManyCertificates()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        Statement long_(v.statement, "x5c");
        long_.certificates(
            "x5c", QList<QByteArray>(kMaxX5cCertificates + 1, firstCertificate(v.statement)));
        auto verdict = verifyStatement(v.fmt, long_.item(), parsedAuthenticatorData(v.authDataRaw),
                                       v.clientDataHash);
        EXPECT_INVALID(verdict, "x5c holds 9 certificates");
    }

    void vectorsRefuseExpiredCertificateAtVerificationTime_data() { attestedVectors(); }
    void vectorsRefuseExpiredCertificateAtVerificationTime()
    {
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        const AuthenticatorData authData = parsedAuthenticatorData(v.authDataRaw);
        // The vectors' certificates are valid from 2024-01-01 to 3024-01-01.
        const QDateTime before(QDate(2023, 6, 1), QTime(0, 0), Qt::UTC);
        const QDateTime after(QDate(3024, 6, 1), QTime(0, 0), Qt::UTC);
        EXPECT_INVALID(verifyStatement(v.fmt, v.statement, authData, v.clientDataHash, before),
                       "not yet valid");
        EXPECT_INVALID(verifyStatement(v.fmt, v.statement, authData, v.clientDataHash, after),
                       "has expired");
        const QDateTime inside(QDate(2500, 1, 1), QTime(0, 0), Qt::UTC);
        EXPECT_OK(verifyStatement(v.fmt, v.statement, authData, v.clientDataHash, inside));

        // The trust decision is made at the same instant.
        auto verdict = verifyStatement(v.fmt, v.statement, authData, v.clientDataHash);
        EXPECT_OK(verdict);
        TrustAnchors anchors;
        anchors.addRoot(v.root);
        QVERIFY(anchors.chainsToRoot(verdict->trustPath, v.fmt, inside));
        QVERIFY(!anchors.chainsToRoot(verdict->trustPath, v.fmt, before));
        QVERIFY(!anchors.chainsToRoot(verdict->trustPath, v.fmt, after));
    }

    void vectorsWithAnyCertificateByteChangedNeverCrashAndNeverChain_data() { attestedVectors(); }
    void vectorsWithAnyCertificateByteChangedNeverCrashAndNeverChain()
    {
        // Every byte of the leaf flipped in turn (this walks the extensions the
        // formats parse: AAGUID, Android KeyDescription, Apple nonce, TPM SAN/EKU)
        // and every truncation. A format may still accept a flip it does not
        // read (e.g. in the issuer's signature), but such a path never chains.
        QFETCH(QString, vector);
        VectorAttestation v = loadVector(vector);
        const AuthenticatorData authData = parsedAuthenticatorData(v.authDataRaw);
        const QByteArray leaf = firstCertificate(v.statement);
        TrustAnchors anchors;
        anchors.addRoot(v.root);
        int accepted = 0;
        for (qsizetype i = 0; i < 2 * leaf.size(); ++i) {
            QByteArray changed = leaf;
            if (i < leaf.size())
                changed[i] = char(changed.at(i) ^ 0x01);
            else
                changed.truncate(i - leaf.size());
            Statement statement(v.statement, "x5c");
            statement.certificates("x5c", {changed});
            auto verdict = verifyStatement(v.fmt, statement.item(), authData, v.clientDataHash);
            if (verdict) {
                ++accepted;
                QVERIFY2(!anchors.chainsToRoot(verdict->trustPath, v.fmt, {}),
                         qPrintable(QStringLiteral("byte %1").arg(i)));
            } else {
                QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
            }
        }
        // Flips in names, serial, validity or the issuer's signature are not the
        // format's business (about half of them here); the rest must be refused.
        QVERIFY2(accepted > 0 && accepted < leaf.size(), qPrintable(QString::number(accepted)));
    }

    // ---- packed (§8.2) --------------------------------------------------------------------

    void packedWithoutX5cIsSelfAttestation()
    {
        // packed-es256 without x5c: its sig is by the attestation key, not the
        // credential's, so as self attestation it must fail.
        VectorAttestation v = loadVector(QStringLiteral("packed-es256"));
        Statement stripped(v.statement, "x5c");
        EXPECT_INVALID(verifyStatement(v.fmt, stripped.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash),
                       "sig does not verify");
    }

    void packedSelfAttestationAlgMustBeTheCredentials()
    {
        VectorAttestation v = loadVector(QStringLiteral("packed-self-es256"));
        for (std::int64_t alg : {std::int64_t(-257), std::int64_t(-8), std::int64_t(-35)}) {
            Statement changed(v.statement, "alg");
            changed.integer("alg", alg);
            EXPECT_INVALID(verifyStatement(v.fmt, changed.item(),
                                           parsedAuthenticatorData(v.authDataRaw),
                                           v.clientDataHash),
                           "differs from the credential's alg");
        }
    }

    void packedAlgMustFitTheCertificateKey()
    {
        VectorAttestation v = loadVector(QStringLiteral("packed-es256"));
        for (std::int64_t alg : {std::int64_t(-257), std::int64_t(-35), std::int64_t(-8)}) {
            Statement changed(v.statement, "alg");
            changed.integer("alg", alg);
            EXPECT_INVALID(verifyStatement(v.fmt, changed.item(),
                                           parsedAuthenticatorData(v.authDataRaw),
                                           v.clientDataHash),
                           "does not fit the attestation key");
        }
    }

    void packedMadeHereVerifies()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.extensions = {aaguidExtension(kAaguid)};
        auto verdict = fixture.verify(spec);
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::Basic);
        QCOMPARE(verdict->trustPath, QList<QByteArray>{fixture.leaf});
        TrustAnchors anchors;
        anchors.addRoot(fixture.root.der, QStringLiteral("packed"));
        QVERIFY(anchors.chainsToRoot(verdict->trustPath, QStringLiteral("packed"), {}));
    }

    void packedRefusesAaguidExtensionOfAnotherAuthenticator()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.extensions = {aaguidExtension(QByteArray(16, '\x11'))};
        EXPECT_INVALID(fixture.verify(spec), "differs from authData's");
    }

    void packedRefusesCriticalAaguidExtension()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.extensions = {aaguidExtension(kAaguid, true)};
        EXPECT_INVALID(fixture.verify(spec), "must not be critical");
    }

    void packedRefusesMalformedAaguidExtension()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.extensions = {
            {"1.3.6.1.4.1.45724.1.1.4", kAaguid, false}}; // not wrapped in an OCTET STRING
        EXPECT_INVALID(fixture.verify(spec), "not an OCTET STRING of 16 bytes");
        spec.extensions = {aaguidExtension(kAaguid.left(15))};
        EXPECT_INVALID(fixture.verify(spec), "not an OCTET STRING of 16 bytes");
    }

    void packedRefusesCaCertificate()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.ca = true;
        EXPECT_INVALID(fixture.verify(spec), "must not be a CA");
    }

    void packedAcceptsCertificateWithoutBasicConstraints()
    {
        // Absent basicConstraints means "not a CA" (RFC 5280 §4.2.1.9).
        PackedFixture fixture;
        CertificateSpec spec;
        spec.ca = std::nullopt;
        EXPECT_OK(fixture.verify(spec));
    }

    void packedRefusesSubjectWithoutRequiredFields_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QString>("value"); // empty: leave the field out
        QTest::addColumn<QString>("message");
        QTest::newRow("OU other") << QByteArray("OU") << QStringLiteral("Attestation")
                                  << QStringLiteral("OU must be");
        QTest::newRow("OU missing")
            << QByteArray("OU") << QString() << QStringLiteral("OU must be");
        QTest::newRow("C missing")
            << QByteArray("C") << QString() << QStringLiteral("two-letter C");
        QTest::newRow("C lowercase")
            << QByteArray("C") << QStringLiteral("ua") << QStringLiteral("ISO 3166");
        QTest::newRow("O missing") << QByteArray("O") << QString() << QStringLiteral("non-empty O");
        QTest::newRow("CN missing")
            << QByteArray("CN") << QString() << QStringLiteral("non-empty CN");
    }
    void packedRefusesSubjectWithoutRequiredFields()
    {
        QFETCH(QByteArray, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        PackedFixture fixture;
        CertificateSpec spec;
        for (qsizetype i = spec.subject.size() - 1; i >= 0; --i) {
            if (spec.subject[i].first != field)
                continue;
            if (value.isEmpty())
                spec.subject.removeAt(i);
            else
                spec.subject[i].second = value;
        }
        auto verdict = fixture.verify(spec);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
        QVERIFY2(verdict.error().message.contains(message), qPrintable(verdict.error().message));
    }

    void packedRefusesVersion1Certificate()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.version = 1;
        spec.ca = std::nullopt;
        auto verdict = fixture.verify(spec);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
    }

    void packedJudgesValidityAtTheVerificationTime()
    {
        PackedFixture fixture;
        CertificateSpec spec;
        spec.notBefore = QDateTime::currentDateTimeUtc().addYears(-3);
        spec.notAfter = QDateTime::currentDateTimeUtc().addYears(-1);
        EXPECT_INVALID(fixture.verify(spec), "has expired");
        // A response captured while the certificate was valid still verifies at that time.
        EXPECT_OK(fixture.verify(spec, QDateTime::currentDateTimeUtc().addYears(-2)));
        spec.notBefore = QDateTime::currentDateTimeUtc().addDays(2);
        spec.notAfter = QDateTime::currentDateTimeUtc().addYears(2);
        EXPECT_INVALID(fixture.verify(spec), "not yet valid");
    }

    // ---- fido-u2f (§8.6) --------------------------------------------------------------------

    void fidoU2fRefusesMoreThanOneCertificate()
    {
        VectorAttestation v = loadVector(QStringLiteral("fido-u2f-es256"));
        Statement two(v.statement, "x5c");
        two.certificates("x5c", {firstCertificate(v.statement), v.root});
        EXPECT_INVALID(verifyStatement(v.fmt, two.item(), parsedAuthenticatorData(v.authDataRaw),
                                       v.clientDataHash),
                       "exactly one certificate");
    }

    void fidoU2fRefusesCertificateKeyNotOnP256()
    {
        FreshCredential credential;
        TestAuthority root = makeAuthority(QStringLiteral("U2F Test Root"));
        EvpPkeyPtr p384 = generateKey("EC", "P-384");
        X509Ptr cert =
            issueCertificate(CertificateSpec{}, p384.get(), root.cert.get(), root.key.get());
        Statement statement;
        statement.certificates("x5c", {toDer(cert.get())}).bytes("sig", QByteArray(70, '\x30'));
        EXPECT_INVALID(verifyStatement(QStringLiteral("fido-u2f"), statement.item(),
                                       credential.authData, credential.clientDataHash),
                       "not EC P-256");
    }

    void fidoU2fMadeHereVerifiesAndRefusesOtherCredentialId()
    {
        FreshCredential credential;
        TestAuthority root = makeAuthority(QStringLiteral("U2F Test Root"));
        EvpPkeyPtr attestationKey = generateKey("EC", "P-256");
        X509Ptr cert = issueCertificate(CertificateSpec{}, attestationKey.get(), root.cert.get(),
                                        root.key.get());
        const AttestedCredentialData &attested = *credential.authData.attestedCredential;
        QByteArray point(65, '\0');
        size_t length = 0;
        EVP_PKEY_get_octet_string_param(credential.key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        reinterpret_cast<unsigned char *>(point.data()), 65,
                                        &length);
        const QByteArray verificationData = QByteArray(1, '\0') + credential.authData.rpIdHash +
                                            credential.clientDataHash + attested.credentialId +
                                            point;
        Statement statement;
        statement.certificates("x5c", {toDer(cert.get())})
            .bytes("sig", signBytes(attestationKey.get(), verificationData));
        auto verdict = verifyStatement(QStringLiteral("fido-u2f"), statement.item(),
                                       credential.authData, credential.clientDataHash);
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::Basic);

        // The same statement for authData naming another credential ID.
        const AuthenticatorData other = parsedAuthenticatorData(authenticatorDataBytes(
            coseEc2Key(credential.key.get()), kAaguid, QByteArray(32, '\x5b')));
        EXPECT_INVALID(verifyStatement(QStringLiteral("fido-u2f"), statement.item(), other,
                                       credential.clientDataHash),
                       "sig does not verify");
    }

    // ---- tpm (§8.3) ----------------------------------------------------------------------------

    void tpmRefusesOtherVersion()
    {
        VectorAttestation v = loadVector(QStringLiteral("tpm-es256"));
        Statement changed(v.statement, "ver");
        changed.text("ver", "1.2");
        EXPECT_INVALID(verifyStatement(v.fmt, changed.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash),
                       "ver must be \"2.0\"");
    }

    void tpmRefusesChangedStructures_data()
    {
        enum { Flip, Append, Chop, OtherKey };
        QTest::addColumn<QByteArray>("member");
        QTest::addColumn<int>("change");
        QTest::addColumn<int>("offset"); // for Flip; negative counts from the end
        QTest::addColumn<QString>("message");
        QTest::newRow("pubArea of another key") << QByteArray("pubArea") << int(OtherKey) << 0
                                                << QStringLiteral("not the credential public key");
        QTest::newRow("pubArea nameAlg")
            << QByteArray("pubArea") << int(Flip) << 3 << QStringLiteral("nameAlg");
        QTest::newRow("pubArea type")
            << QByteArray("pubArea") << int(Flip) << 1 << QStringLiteral("neither RSA nor ECC");
        QTest::newRow("pubArea trailing byte")
            << QByteArray("pubArea") << int(Append) << 0 << QStringLiteral("follow pubArea");
        QTest::newRow("pubArea truncated")
            << QByteArray("pubArea") << int(Chop) << 0 << QStringLiteral("truncated");
        QTest::newRow("certInfo magic")
            << QByteArray("certInfo") << int(Flip) << 0 << QStringLiteral("TPM_GENERATED_VALUE");
        QTest::newRow("certInfo type")
            << QByteArray("certInfo") << int(Flip) << 5 << QStringLiteral("TPM_ST_ATTEST_CERTIFY");
        QTest::newRow("certInfo extraData")
            << QByteArray("certInfo") << int(Flip) << 12 << QStringLiteral("extraData");
        // The name's last byte sits just before qualifiedName's 2-byte size.
        QTest::newRow("certInfo attested name")
            << QByteArray("certInfo") << int(Flip) << -3 << QStringLiteral("attested name");
        QTest::newRow("certInfo trailing byte")
            << QByteArray("certInfo") << int(Append) << 0 << QStringLiteral("follow certInfo");
        QTest::newRow("certInfo truncated")
            << QByteArray("certInfo") << int(Chop) << 0 << QStringLiteral("truncated");
    }
    void tpmRefusesChangedStructures()
    {
        QFETCH(QByteArray, member);
        QFETCH(int, change);
        QFETCH(int, offset);
        QFETCH(QString, message);
        VectorAttestation v = loadVector(QStringLiteral("tpm-es256"));
        QByteArray bytes = statementBytesOf(v.statement, member.constData());
        EvpPkeyPtr other = generateKey("EC", "P-256");
        switch (change) {
        case 0: { // Flip
            const qsizetype at = offset >= 0 ? offset : bytes.size() + offset;
            bytes[at] = char(bytes.at(at) ^ 0x01);
            break;
        }
        case 1:
            bytes += '\0';
            break;
        case 2:
            bytes.chop(1);
            break;
        case 3:
            bytes = eccPubArea(other.get());
            break;
        }
        Statement changed(v.statement, member);
        changed.bytes(member, bytes);
        auto verdict = verifyStatement(v.fmt, changed.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
        QVERIFY2(verdict.error().message.contains(message), qPrintable(verdict.error().message));
    }

    void tpmRefusesAlgOfAnotherHash()
    {
        // ES384 names SHA-384, so extraData (a SHA-256) no longer matches.
        VectorAttestation v = loadVector(QStringLiteral("tpm-es256"));
        Statement changed(v.statement, "alg");
        changed.integer("alg", -35);
        EXPECT_INVALID(verifyStatement(v.fmt, changed.item(),
                                       parsedAuthenticatorData(v.authDataRaw), v.clientDataHash),
                       "extraData");
    }

    void tpmMadeHereVerifies()
    {
        TpmFixture fixture;
        auto verdict = fixture.verify(aikSpec());
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::AttCA);
        TrustAnchors anchors;
        anchors.addRoot(fixture.root.der, QStringLiteral("tpm"));
        QVERIFY(anchors.chainsToRoot(verdict->trustPath, QStringLiteral("tpm"), {}));
    }

    void tpmRefusesAikCertificateBreakingRequirements_data()
    {
        QTest::addColumn<int>("breakage");
        QTest::addColumn<QString>("message");
        QTest::newRow("subject not empty") << 0 << QStringLiteral("subject must be empty");
        QTest::newRow("no TPM SAN") << 1 << QStringLiteral("SAN lacks");
        QTest::newRow("no AIK EKU") << 2 << QStringLiteral("EKU lacks");
        QTest::newRow("CA") << 3 << QStringLiteral("must not be a CA");
        QTest::newRow("other AAGUID") << 4 << QStringLiteral("differs from authData's");
    }
    void tpmRefusesAikCertificateBreakingRequirements()
    {
        QFETCH(int, breakage);
        QFETCH(QString, message);
        CertificateSpec spec = aikSpec();
        switch (breakage) {
        case 0:
            spec.subject = {{"CN", QStringLiteral("AIK")}};
            break;
        case 1:
            spec.extensions.clear();
            break;
        case 2:
            spec.configExtensions.clear();
            break;
        case 3:
            spec.ca = true;
            break;
        case 4:
            spec.extensions.append(aaguidExtension(QByteArray(16, '\x22')));
            break;
        }
        TpmFixture fixture;
        auto verdict = fixture.verify(spec);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
        QVERIFY2(verdict.error().message.contains(message), qPrintable(verdict.error().message));
    }

    // ---- android-key (§8.4) ------------------------------------------------------------------

    void androidKeyMadeHereVerifies()
    {
        AndroidKeyFixture fixture;
        const QByteArray tee = purposeList(2) + originMember(0);
        auto verdict = fixture.verify(keyDescription(fixture.credential.clientDataHash, {}, tee));
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::Basic);
        QCOMPARE(verdict->trustPath.size(), 2);
    }

    void androidKeyW3cVectorLacksOriginAndPurpose()
    {
        // The W3C vector's KeyDescription has empty softwareEnforced and
        // teeEnforced lists: everything else about it verifies (a tampered
        // signature is refused first), but §8.4.1's origin and purpose cannot hold.
        VectorAttestation v = loadVector(QStringLiteral("android-key-es256"));
        EXPECT_INVALID(verifyStatement(v.fmt, v.statement, parsedAuthenticatorData(v.authDataRaw),
                                       v.clientDataHash),
                       "the key description has no origin");
    }

    void androidKeyAcceptsOriginAndPurposeOnEitherList_data()
    {
        QTest::addColumn<QByteArray>("software");
        QTest::addColumn<QByteArray>("tee");
        QTest::newRow("both in teeEnforced") << QByteArray() << (purposeList(2) + originMember(0));
        QTest::newRow("both in softwareEnforced")
            << (purposeList(2) + originMember(0)) << QByteArray();
        QTest::newRow("origin software, purpose tee") << originMember(0) << purposeList(2);
        QTest::newRow("on both lists")
            << (purposeList(2) + originMember(0)) << (purposeList(2) + originMember(0));
    }
    void androidKeyAcceptsOriginAndPurposeOnEitherList()
    {
        // Policy (android_key_attestation.cpp): keys from software or a TEE, so
        // the union of both lists is judged.
        QFETCH(QByteArray, software);
        QFETCH(QByteArray, tee);
        AndroidKeyFixture fixture;
        EXPECT_OK(fixture.verify(keyDescription(fixture.credential.clientDataHash, software, tee)));
    }

    void androidKeyRefuses_data()
    {
        QTest::addColumn<int>("breakage");
        QTest::addColumn<QString>("message");
        QTest::newRow("other challenge") << 0 << QStringLiteral("attestationChallenge");
        QTest::newRow("allApplications in teeEnforced") << 1 << QStringLiteral("all applications");
        QTest::newRow("allApplications in softwareEnforced")
            << 2 << QStringLiteral("all applications");
        QTest::newRow("origin imported") << 3 << QStringLiteral("KM_ORIGIN_GENERATED");
        QTest::newRow("purpose encrypt") << 4 << QStringLiteral("KM_PURPOSE_SIGN");
        QTest::newRow("no extension") << 5 << QStringLiteral("lacks the key attestation extension");
        QTest::newRow("certificate of another key")
            << 6 << QStringLiteral("not the credential public key");
        QTest::newRow("not a KeyDescription") << 7 << QStringLiteral("KeyDescription");
        // §8.4.1: origin and purpose must be present (issue 11, finding 3).
        QTest::newRow("no origin on either list") << 8 << QStringLiteral("no origin");
        QTest::newRow("no purpose on either list") << 9 << QStringLiteral("no purpose");
        QTest::newRow("empty purpose set") << 10 << QStringLiteral("no purpose");
        QTest::newRow("purpose sign and verify") << 11 << QStringLiteral("KM_PURPOSE_SIGN");
        QTest::newRow("origin generated in tee, imported in software")
            << 12 << QStringLiteral("KM_ORIGIN_GENERATED");
        QTest::newRow("nothing on either list") << 13 << QStringLiteral("no origin");
    }
    void androidKeyRefuses()
    {
        QFETCH(int, breakage);
        QFETCH(QString, message);
        AndroidKeyFixture fixture;
        const QByteArray challenge = fixture.credential.clientDataHash;
        const QByteArray good = purposeList(2) + originMember(0);
        Result<AttestationVerdict> verdict = fail(ErrorCode::InvalidRequest, QString());
        EvpPkeyPtr other = generateKey("EC", "P-256");
        switch (breakage) {
        case 0:
            verdict = fixture.verify(keyDescription(flipLastByte(challenge), {}, good));
            break;
        case 1:
            verdict = fixture.verify(keyDescription(challenge, {}, good + allApplicationsMember()));
            break;
        case 2:
            verdict = fixture.verify(keyDescription(challenge, allApplicationsMember(), good));
            break;
        case 3:
            verdict =
                fixture.verify(keyDescription(challenge, {}, purposeList(2) + originMember(2)));
            break;
        case 4:
            verdict = fixture.verify(keyDescription(challenge, purposeList(0), good));
            break;
        case 5:
            verdict = fixture.verify({}, nullptr, false);
            break;
        case 6:
            verdict = fixture.verify(keyDescription(challenge, {}, good), other.get());
            break;
        case 7:
            verdict = fixture.verify(derSequence(derOctetString(challenge)));
            break;
        case 8:
            verdict = fixture.verify(keyDescription(challenge, {}, purposeList(2)));
            break;
        case 9:
            verdict = fixture.verify(keyDescription(challenge, {}, originMember(0)));
            break;
        case 10: // [1] EXPLICIT SET OF INTEGER holding nothing
            verdict = fixture.verify(
                keyDescription(challenge, {}, tlv("\xa1", tlv("\x31", {})) + originMember(0)));
            break;
        case 11: // {SIGN, VERIFY}
            verdict = fixture.verify(keyDescription(
                challenge, {},
                tlv("\xa1", tlv("\x31", derInteger(2) + derInteger(3))) + originMember(0)));
            break;
        case 12:
            verdict = fixture.verify(keyDescription(challenge, originMember(1), good));
            break;
        case 13:
            verdict = fixture.verify(keyDescription(challenge, {}, {}));
            break;
        }
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
        QVERIFY2(verdict.error().message.contains(message), qPrintable(verdict.error().message));
    }

    // ---- apple (§8.8) ------------------------------------------------------------------------

    void appleMadeHereVerifies()
    {
        AppleFixture fixture;
        auto verdict = fixture.verify(appleNonceExtension(sha256(fixture.credential.attested())));
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::AnonCA);
    }

    void appleRefusesNonceOfAnotherRegistration()
    {
        AppleFixture fixture;
        EXPECT_INVALID(fixture.verify(appleNonceExtension(sha256("another registration"))),
                       "certified nonce is not");
    }

    void appleRefusesMalformedNonceExtension()
    {
        AppleFixture fixture;
        const QByteArray nonce = sha256(fixture.credential.attested());
        EXPECT_INVALID(fixture.verify(derSequence(derOctetString(nonce))), "not SEQUENCE { [1]");
        EXPECT_INVALID(fixture.verify(derOctetString(nonce)), "not SEQUENCE { [1]");
        EXPECT_INVALID(fixture.verify(appleNonceExtension(nonce) + QByteArray(1, '\0')),
                       "not SEQUENCE { [1]");
    }

    void appleRefusesCertificateOfAnotherKey()
    {
        AppleFixture fixture;
        EvpPkeyPtr other = generateKey("EC", "P-256");
        EXPECT_INVALID(
            fixture.verify(appleNonceExtension(sha256(fixture.credential.attested())), other.get()),
            "not the credential public key");
    }

    // ---- android-safetynet (§8.5); no W3C vector exists ------------------------------------

    void safetyNetMadeHereVerifies()
    {
        SafetyNetFixture fixture;
        auto verdict = fixture.verify({});
        EXPECT_OK(verdict);
        QCOMPARE(verdict->type, AttestationType::Basic);
        QCOMPARE(verdict->trustPath.size(), 2);
        TrustAnchors anchors;
        anchors.addRoot(fixture.root.der, QStringLiteral("android-safetynet"));
        QVERIFY(anchors.chainsToRoot(verdict->trustPath, QStringLiteral("android-safetynet"),
                                     fixture.now));

        SafetyNetFixture::Options es256;
        es256.keyType = "EC";
        es256.alg = "ES256";
        EXPECT_OK(fixture.verify(es256));
    }

    void safetyNetRefuses_data()
    {
        QTest::addColumn<int>("breakage");
        QTest::addColumn<QString>("message");
        QTest::newRow("other nonce") << 0 << QStringLiteral("nonce");
        QTest::newRow("ctsProfileMatch false") << 1 << QStringLiteral("ctsProfileMatch");
        QTest::newRow("ctsProfileMatch missing") << 2 << QStringLiteral("ctsProfileMatch");
        QTest::newRow("other hostname") << 3 << QStringLiteral("attest.android.com");
        QTest::newRow("too old") << 4 << QStringLiteral("older than 60 s");
        QTest::newRow("from the future") << 5 << QStringLiteral("future");
        QTest::newRow("tampered JWS signature") << 6 << QStringLiteral("sig does not verify");
        QTest::newRow("alg none") << 7 << QStringLiteral("neither RS256 nor ES256");
        QTest::newRow("alg does not fit the key") << 8 << QStringLiteral("does not fit");
    }
    void safetyNetRefuses()
    {
        QFETCH(int, breakage);
        QFETCH(QString, message);
        SafetyNetFixture fixture;
        SafetyNetFixture::Options options;
        switch (breakage) {
        case 0:
            options.nonce = sha256("another registration").toBase64();
            break;
        case 1:
            options.ctsProfileMatch = false;
            break;
        case 2:
            options.ctsProfileMatch = QJsonValue();
            break;
        case 3:
            options.hostname = "attest.android.com.example.org";
            break;
        case 4:
            options.ageMs = 61 * 1000;
            break;
        case 5:
            options.ageMs = -5000;
            break;
        case 6:
            options.tamperSignature = true;
            break;
        case 7:
            options.alg = "none";
            break;
        case 8:
            options.alg = "ES256";
            break; // RSA leaf
        }
        auto verdict = fixture.verify(options);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, ErrorCode::AttestationInvalid);
        QVERIFY2(verdict.error().message.contains(message), qPrintable(verdict.error().message));
    }

    void safetyNetRefusesResponseThatIsNotCompactJws()
    {
        FreshCredential credential;
        for (const QByteArray &response : {QByteArray("only.two"), QByteArray("a.b.c.d"),
                                           QByteArray("e30=.e30.AA"), QByteArray("")}) {
            Statement statement;
            statement.text("ver", "1").bytes("response", response);
            EXPECT_INVALID(verifyStatement(QStringLiteral("android-safetynet"), statement.item(),
                                           credential.authData, credential.clientDataHash),
                           "");
        }
    }

    // ---- trust anchors ---------------------------------------------------------------------

    void trustNeverAnchorsOnASelfSignedCertificateInX5c()
    {
        PackedFixture fixture; // leaf issued by fixture.root
        auto verdict = fixture.verify(CertificateSpec{});
        EXPECT_OK(verdict);
        TestAuthority configured = makeAuthority(QStringLiteral("Configured Root"));
        TrustAnchors anchors;
        anchors.addRoot(configured.der);

        // The leaf's own root smuggled into x5c: still not an anchor.
        QVERIFY(
            !anchors.chainsToRoot({fixture.leaf, fixture.root.der}, QStringLiteral("packed"), {}));
        // An impostor that copies the configured root's name.
        TestAuthority impostor = makeAuthority(QStringLiteral("Configured Root"));
        X509Ptr leaf = issueCertificate(CertificateSpec{}, fixture.attestationKey.get(),
                                        impostor.cert.get(), impostor.key.get());
        QVERIFY(
            !anchors.chainsToRoot({toDer(leaf.get()), impostor.der}, QStringLiteral("packed"), {}));
        // A self-signed leaf alone.
        X509Ptr selfSigned = issueCertificate(CertificateSpec{}, fixture.attestationKey.get(),
                                              nullptr, fixture.attestationKey.get());
        QVERIFY(!anchors.chainsToRoot({toDer(selfSigned.get())}, QStringLiteral("packed"), {}));
        // No roots at all: nothing is trusted, however self-consistent.
        QVERIFY(!TrustAnchors().chainsToRoot({fixture.leaf, fixture.root.der},
                                             QStringLiteral("packed"), {}));
        // Garbage in the path is not trusted either.
        anchors.addRoot(fixture.root.der);
        QVERIFY(!anchors.chainsToRoot({fixture.leaf, QByteArray("junk")}, QStringLiteral("packed"),
                                      {}));
        QVERIFY(!anchors.chainsToRoot({}, QStringLiteral("packed"), {}));
        // Once the operator configures that root, the same path is trusted.
        QVERIFY(
            anchors.chainsToRoot({fixture.leaf, fixture.root.der}, QStringLiteral("packed"), {}));
    }

    void trustFollowsIntermediatesFromX5c()
    {
        TestAuthority root = makeAuthority(QStringLiteral("Chain Root"));
        TestAuthority intermediate = makeAuthority(QStringLiteral("Chain Intermediate"), &root);
        EvpPkeyPtr key = generateKey("EC", "P-256");
        X509Ptr leaf = issueCertificate(CertificateSpec{}, key.get(), intermediate.cert.get(),
                                        intermediate.key.get());
        TrustAnchors anchors;
        anchors.addRoot(root.der, QStringLiteral("packed"));
        QVERIFY(anchors.chainsToRoot({toDer(leaf.get()), intermediate.der},
                                     QStringLiteral("packed"), {}));
        QVERIFY(anchors.chainsToRoot({toDer(leaf.get()), intermediate.der, root.der},
                                     QStringLiteral("packed"), {}));
        QVERIFY(!anchors.chainsToRoot({toDer(leaf.get())}, QStringLiteral("packed"), {}));
        QVERIFY(!anchors.chainsToRoot({toDer(leaf.get()), intermediate.der}, QStringLiteral("tpm"),
                                      {}));
        // A configured intermediate is not a root: partial chains are never accepted.
        TrustAnchors intermediateOnly;
        intermediateOnly.addRoot(intermediate.der);
        QVERIFY(!intermediateOnly.chainsToRoot({toDer(leaf.get())}, QStringLiteral("packed"), {}));
    }

    void trustLoadsRootsFromADirectory()
    {
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        VectorAttestation tpm = loadVector(QStringLiteral("tpm-es256"));
        TestAuthority other = makeAuthority(QStringLiteral("Global Root"));
        auto pem = [](const QByteArray &der) {
            return "-----BEGIN CERTIFICATE-----\n" + der.toBase64() +
                   "\n-----END CERTIFICATE-----\n";
        };
        QVERIFY(QDir(directory.path()).mkdir(QStringLiteral("tpm")));
        QFile tpmRoots(directory.filePath(QStringLiteral("tpm/w3c.pem")));
        QVERIFY(tpmRoots.open(QIODevice::WriteOnly));
        tpmRoots.write(pem(tpm.root));
        tpmRoots.close();
        QFile globalRoots(directory.filePath(QStringLiteral("global.crt")));
        QVERIFY(globalRoots.open(QIODevice::WriteOnly));
        globalRoots.write(pem(other.der) + pem(other.der));
        globalRoots.close();
        QFile ignored(directory.filePath(QStringLiteral("README.txt")));
        QVERIFY(ignored.open(QIODevice::WriteOnly));
        ignored.write("not a certificate, and not *.pem or *.crt");
        ignored.close();

        TrustAnchors anchors;
        auto loaded = anchors.loadDirectory(directory.path());
        EXPECT_OK(loaded);
        QVERIFY(!anchors.isEmpty());
        const QList<QByteArray> tpmPath{firstCertificate(tpm.statement)};
        QVERIFY(anchors.chainsToRoot(tpmPath, QStringLiteral("tpm"), {}));
        QVERIFY(!anchors.chainsToRoot(tpmPath, QStringLiteral("packed"), {}));

        QFile broken(directory.filePath(QStringLiteral("broken.pem")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("-----BEGIN NOTHING-----\n");
        broken.close();
        TrustAnchors refusing;
        QVERIFY(!refusing.loadDirectory(directory.path()));
        QVERIFY(!TrustAnchors().loadDirectory(directory.filePath(QStringLiteral("absent"))));
    }

private:
    static void attestedVectors(bool withPacked = true)
    {
        QTest::addColumn<QString>("vector");
        if (withPacked) {
            for (const char *name : {"packed-es256", "packed-rs256", "packed-eddsa"})
                QTest::newRow(name) << QString::fromLatin1(name);
        }
        // (android-key-es256 is refused by §8.4.1: androidKeyW3cVectorLacksOriginAndPurpose)
        for (const char *name : {"fido-u2f-es256", "tpm-es256", "apple-es256"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
};

QTEST_GUILESS_MAIN(TestAttestationFormats)
#include "tst_attestation_formats.moc"
