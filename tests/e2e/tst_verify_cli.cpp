// `daarion-authd verify …`, the real binary (DAARION_AUTHD) over QProcess:
// all 15 W3C vectors (registration with the attestation root in --roots, then
// the assertion with the public key the registration printed; android-key-es256's
// registration is refused by §8.4.1), and the exit
// codes and verdicts for rejected responses and bad usage.
#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace
{

struct Run {
    int exitCode = -1;
    QJsonObject verdict;
    QByteArray stdoutText;
    QByteArray stderrText;
};

Run runVerify(const QStringList &arguments, const QByteArray &input)
{
    QProcess process;
    process.start(QString::fromLocal8Bit(qgetenv("DAARION_AUTHD")),
                  QStringList{QStringLiteral("verify")} + arguments);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stdoutText = process.readAllStandardOutput();
    run.stderrText = process.readAllStandardError();
    run.verdict = QJsonDocument::fromJson(run.stdoutText).object();
    return run;
}

QString vectorDirectory()
{
    return QString::fromLocal8Bit(qgetenv("DAARION_TEST_DATA")) + QStringLiteral("/vectors/w3c");
}

QJsonObject loadVector(const QString &name)
{
    QFile in(vectorDirectory() + u'/' + name + QStringLiteral(".json"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(in.readAll()).object();
}

QString member(const QJsonObject &object, const char *name)
{
    return object.value(QLatin1StringView(name)).toString();
}

QByteArray registrationJson(const QJsonObject &vector)
{
    const QJsonObject registration = vector.value(QLatin1StringView("registration")).toObject();
    const QJsonObject response{
        {QStringLiteral("clientDataJSON"), registration.value(QLatin1StringView("clientDataJSON"))},
        {QStringLiteral("attestationObject"),
         registration.value(QLatin1StringView("attestationObject"))},
        {QStringLiteral("transports"), QJsonArray{QStringLiteral("usb")}}};
    const QJsonObject credential{
        {QStringLiteral("id"), vector.value(QLatin1StringView("credential_id"))},
        {QStringLiteral("rawId"), vector.value(QLatin1StringView("credential_id"))},
        {QStringLiteral("type"), QStringLiteral("public-key")},
        {QStringLiteral("response"), response},
        {QStringLiteral("clientExtensionResults"), QJsonObject()}};
    return QJsonDocument(credential).toJson(QJsonDocument::Compact);
}

QByteArray assertionJson(const QJsonObject &vector)
{
    const QJsonObject authentication = vector.value(QLatin1StringView("authentication")).toObject();
    QJsonObject response;
    for (const char *name : {"clientDataJSON", "authenticatorData", "signature"})
        response.insert(QLatin1StringView(name), authentication.value(QLatin1StringView(name)));
    const QJsonObject credential{
        {QStringLiteral("id"), vector.value(QLatin1StringView("credential_id"))},
        {QStringLiteral("rawId"), vector.value(QLatin1StringView("credential_id"))},
        {QStringLiteral("type"), QStringLiteral("public-key")},
        {QStringLiteral("response"), response},
        {QStringLiteral("clientExtensionResults"), QJsonObject()}};
    return QJsonDocument(credential).toJson(QJsonDocument::Compact);
}

// The flags both ceremonies take from a vector: RP ID, origin, and the top
// origin when the vector is framed (the README's https://example.com when the
// vector says crossOrigin without naming one).
QStringList ceremonyFlags(const QJsonObject &vector, const QJsonObject &ceremony)
{
    QStringList flags{QStringLiteral("--rp-id"),     member(vector, "rp_id"),
                      QStringLiteral("--origin"),    member(vector, "origin"),
                      QStringLiteral("--challenge"), member(ceremony, "challenge")};
    const QJsonValue top = vector.value(QLatin1StringView("top_origin"));
    if (top.isString())
        flags << QStringLiteral("--top-origin") << top.toString();
    else if (vector.value(QLatin1StringView("cross_origin")).toBool())
        flags << QStringLiteral("--top-origin") << QStringLiteral("https://example.com");
    return flags;
}

QByteArray pem(const QByteArray &der)
{
    QByteArray out = "-----BEGIN CERTIFICATE-----\n";
    const QByteArray base64 = der.toBase64();
    for (qsizetype i = 0; i < base64.size(); i += 64)
        out += base64.mid(i, 64) + '\n';
    return out + "-----END CERTIFICATE-----\n";
}

// A throwaway self-signed P-256 CA certificate (DER), unrelated to any vector.
QByteArray selfSignedCertificate()
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    X509 *certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 7);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600L * 24 * 365);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("Unrelated Test Root"), -1,
                               -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_set_pubkey(certificate, key);
    X509_sign(certificate, key, EVP_sha256());
    unsigned char *der = nullptr;
    const int length = i2d_X509(certificate, &der);
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return out;
}

// The credential's COSE key (base64url) read from a registration's authenticatorData.
QString credentialKeyOf(const QJsonObject &registration)
{
    using namespace daarion::webauthn;
    const auto bytes = decodeBase64Url(
        registration.value(QLatin1StringView("attestationObject")).toString().toLatin1());
    if (!bytes)
        return {};
    Result<AttestationObject> object = parseAttestationObject(*bytes);
    if (!object)
        return {};
    Result<AuthenticatorData> authData = parseAuthenticatorData(object->authData);
    if (!authData || !authData->attestedCredential)
        return {};
    return QString::fromLatin1(encodeBase64Url(authData->attestedCredential->publicKey.encoded));
}

QString verdictText(const Run &run)
{
    return QString::fromUtf8(run.stdoutText + run.stderrText);
}

} // namespace

class TestVerifyCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DAARION_AUTHD") ||
            qEnvironmentVariableIsEmpty("DAARION_TEST_DATA"))
            QFAIL("DAARION_AUTHD and DAARION_TEST_DATA must be set (run through CTest)");
        QVERIFY2(QFile::exists(QString::fromLocal8Bit(qgetenv("DAARION_AUTHD"))),
                 "DAARION_AUTHD does not exist");
        QCOMPARE(QDir(vectorDirectory()).entryList({QStringLiteral("*.json")}, QDir::Files).size(),
                 15);
    }

    void vector_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &file :
             QDir(vectorDirectory()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(file.chopped(5))) << file.chopped(5);
    }

    void vector()
    {
        QFETCH(QString, name);
        const QJsonObject vector = loadVector(name);
        QVERIFY(!vector.isEmpty());
        const QJsonObject registration = vector.value(QLatin1StringView("registration")).toObject();
        const QJsonObject authentication =
            vector.value(QLatin1StringView("authentication")).toObject();

        QStringList flags =
            QStringList{QStringLiteral("registration")} + ceremonyFlags(vector, registration);
        QTemporaryDir roots;
        const QJsonValue root =
            vector.value(QLatin1StringView("attestation_trust_root_der_b64url"));
        if (root.isString()) {
            QFile file(roots.filePath(QStringLiteral("root.pem")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(pem(
                QByteArray::fromBase64(root.toString().toLatin1(), QByteArray::Base64UrlEncoding)));
            file.close();
            flags << QStringLiteral("--roots") << roots.path();
        }
        const Run registered = runVerify(flags, registrationJson(vector));
        QString publicKey;
        if (name == QLatin1StringView("android-key-es256")) {
            // WebAuthn §8.4.1 refuses this vector: its KeyDescription has empty
            // authorization lists (no origin, no purpose). Its key for the
            // assertion comes straight from authData.
            QCOMPARE(registered.exitCode, 1);
            QCOMPARE(member(registered.verdict, "error"), QStringLiteral("attestation_invalid"));
            publicKey = credentialKeyOf(registration);
        } else {
            QVERIFY2(registered.exitCode == 0, qPrintable(verdictText(registered)));
            QCOMPARE(registered.verdict.value(QLatin1StringView("ok")).toBool(), true);
            QVERIFY(registered.verdict.value(QLatin1StringView("error")).isNull());
            QCOMPARE(member(registered.verdict, "credential_id"), member(vector, "credential_id"));
            QCOMPARE(member(registered.verdict, "aaguid").remove(u'-'),
                     member(vector, "aaguid_hex"));
            QCOMPARE(registered.verdict.value(QLatin1StringView("trusted")).toBool(),
                     root.isString());
            QVERIFY(name.startsWith(member(registered.verdict, "fmt")));
            QVERIFY(registered.verdict.value(QLatin1StringView("alg")).isDouble());
            QVERIFY(!member(registered.verdict, "attestation_type").isEmpty());
            QVERIFY(registered.verdict.value(QLatin1StringView("flags"))
                        .toObject()
                        .value(QLatin1StringView("at"))
                        .toBool());
            publicKey = member(registered.verdict, "public_key");
        }
        QVERIFY(!publicKey.isEmpty());

        const QStringList assertionFlags = QStringList{QStringLiteral("assertion")} +
                                           ceremonyFlags(vector, authentication) +
                                           QStringList{QStringLiteral("--public-key"), publicKey};
        const Run asserted = runVerify(assertionFlags, assertionJson(vector));
        QVERIFY2(asserted.exitCode == 0, qPrintable(verdictText(asserted)));
        QCOMPARE(asserted.verdict.value(QLatin1StringView("ok")).toBool(), true);
        QVERIFY(asserted.verdict.value(QLatin1StringView("sign_count")).isDouble());
        QCOMPARE(asserted.verdict.value(QLatin1StringView("user_verified")).toBool(),
                 asserted.verdict.value(QLatin1StringView("flags"))
                     .toObject()
                     .value(QLatin1StringView("uv"))
                     .toBool());

        // The assertion under another challenge is rejected: exit 1, a coded verdict.
        QStringList wrongChallenge = assertionFlags;
        wrongChallenge[wrongChallenge.indexOf(QStringLiteral("--challenge")) + 1] =
            QStringLiteral("AAAAAAAAAAAAAAAAAAAAAA");
        const Run refused = runVerify(wrongChallenge, assertionJson(vector));
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(member(refused.verdict, "error"), QStringLiteral("challenge_invalid"));
        QCOMPARE(refused.verdict.value(QLatin1StringView("ok")).toBool(true), false);
    }

    void rejectionsCarryTheirCode()
    {
        const QJsonObject vector = loadVector(QStringLiteral("packed-es256"));
        const QJsonObject registration = vector.value(QLatin1StringView("registration")).toObject();
        const QJsonObject authentication =
            vector.value(QLatin1StringView("authentication")).toObject();
        const QStringList flags =
            QStringList{QStringLiteral("registration")} + ceremonyFlags(vector, registration);

        Run run = runVerify(flags, "{not json");
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("invalid_json"));

        run = runVerify(flags, "{}");
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("invalid_request"));

        QStringList otherRp = flags;
        otherRp[otherRp.indexOf(QStringLiteral("--rp-id")) + 1] = QStringLiteral("example.com");
        run = runVerify(otherRp, registrationJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("rp_id_mismatch"));

        QStringList otherOrigin = flags;
        otherOrigin[otherOrigin.indexOf(QStringLiteral("--origin")) + 1] =
            QStringLiteral("https://evil.example");
        run = runVerify(otherOrigin, registrationJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("origin_mismatch"));
        // A second --origin that matches makes it pass.
        run = runVerify(otherOrigin + QStringList{QStringLiteral("--origin"),
                                                  QStringLiteral("https://example.org")},
                        registrationJson(vector));
        QCOMPARE(run.exitCode, 0);

        // The registration as an assertion is the wrong ceremony's type.
        const Run registered = runVerify(flags, registrationJson(vector));
        QCOMPARE(registered.exitCode, 0);
        const QString publicKey = member(registered.verdict, "public_key");
        QStringList assertion = QStringList{QStringLiteral("assertion")} +
                                ceremonyFlags(vector, authentication) +
                                QStringList{QStringLiteral("--public-key"), publicKey};
        // A stored counter the response does not exceed: possible clone.
        run = runVerify(
            assertion + QStringList{QStringLiteral("--sign-count"), QStringLiteral("4000000000")},
            assertionJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("counter_regression"));
        // Another credential's key does not verify the signature.
        const QJsonObject other = loadVector(QStringLiteral("none-es256"));
        const Run otherRegistered = runVerify(
            QStringList{QStringLiteral("registration")} +
                ceremonyFlags(other, other.value(QLatin1StringView("registration")).toObject()),
            registrationJson(other));
        QCOMPARE(otherRegistered.exitCode, 0);
        QStringList wrongKey = assertion;
        wrongKey[wrongKey.indexOf(QStringLiteral("--public-key")) + 1] =
            member(otherRegistered.verdict, "public_key");
        run = runVerify(wrongKey, assertionJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("signature_invalid"));
        // A user handle the response does not carry is not required; UV is present here.
        run = runVerify(assertion + QStringList{QStringLiteral("--user-handle"),
                                                QStringLiteral("dXNlcg"),
                                                QStringLiteral("--require-uv")},
                        assertionJson(vector));
        QVERIFY2(run.exitCode == 0, qPrintable(verdictText(run)));
    }

    void trustDependsOnTheRootsAndTheTime()
    {
        const QJsonObject vector = loadVector(QStringLiteral("packed-es256"));
        const QJsonObject registration = vector.value(QLatin1StringView("registration")).toObject();
        const QStringList flags =
            QStringList{QStringLiteral("registration")} + ceremonyFlags(vector, registration);

        // A roots directory holding an unrelated CA for every format: roots were
        // given for packed, and the response does not chain to them: refused.
        QTemporaryDir otherRoots;
        QFile other(otherRoots.filePath(QStringLiteral("other.pem")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write(pem(selfSignedCertificate()));
        other.close();
        Run run = runVerify(flags + QStringList{QStringLiteral("--roots"), otherRoots.path()},
                            registrationJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("attestation_invalid"));
        // The same CA filed for another format only: packed has no roots, so the
        // response is valid but untrusted.
        QVERIFY(QDir(otherRoots.path()).mkdir(QStringLiteral("tpm")));
        QVERIFY(QFile::rename(otherRoots.filePath(QStringLiteral("other.pem")),
                              otherRoots.filePath(QStringLiteral("tpm/other.pem"))));
        run = runVerify(flags + QStringList{QStringLiteral("--roots"), otherRoots.path()},
                        registrationJson(vector));
        QVERIFY2(run.exitCode == 0, qPrintable(verdictText(run)));
        QCOMPARE(run.verdict.value(QLatin1StringView("trusted")).toBool(true), false);
        QCOMPARE(member(run.verdict, "attestation_type"), QStringLiteral("basic"));

        // Its own root: trusted, also at a chosen instant inside the validity period.
        QTemporaryDir ownRoots;
        QFile own(ownRoots.filePath(QStringLiteral("root.pem")));
        QVERIFY(own.open(QIODevice::WriteOnly));
        own.write(pem(
            QByteArray::fromBase64(member(vector, "attestation_trust_root_der_b64url").toLatin1(),
                                   QByteArray::Base64UrlEncoding)));
        own.close();
        const QStringList ownFlags =
            flags + QStringList{QStringLiteral("--roots"), ownRoots.path()};
        run = runVerify(ownFlags, registrationJson(vector));
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.verdict.value(QLatin1StringView("trusted")).toBool(), true);
        run = runVerify(ownFlags + QStringList{QStringLiteral("--at"),
                                               QStringLiteral("2030-06-01T12:00:00+02:00")},
                        registrationJson(vector));
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.verdict.value(QLatin1StringView("trusted")).toBool(), true);
        // Before the certificates were issued (2024) the statement itself does not verify.
        run = runVerify(
            ownFlags + QStringList{QStringLiteral("--at"), QStringLiteral("1990-01-01T00:00:00Z")},
            registrationJson(vector));
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(member(run.verdict, "error"), QStringLiteral("attestation_invalid"));
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        auto list = [](std::initializer_list<const char *> items) {
            QStringList out;
            for (const char *item : items)
                out << QString::fromLatin1(item);
            return out;
        };
        QTest::newRow("no ceremony") << QStringList();
        QTest::newRow("unknown ceremony")
            << list({"attestation", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA"});
        QTest::newRow("no rp-id") << list({"registration", "--origin", "o", "--challenge", "AAAA"});
        QTest::newRow("no origin") << list({"registration", "--rp-id", "a", "--challenge", "AAAA"});
        QTest::newRow("no challenge") << list({"registration", "--rp-id", "a", "--origin", "o"});
        QTest::newRow("padded challenge")
            << list({"registration", "--rp-id", "a", "--origin", "o", "--challenge", "AA=="});
        QTest::newRow("unknown flag") << list(
            {"registration", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA", "--bogus"});
        QTest::newRow("assertion flag on registration")
            << list({"registration", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA",
                     "--sign-count", "1"});
        QTest::newRow("registration flag on assertion")
            << list({"assertion", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA", "--roots",
                     "/tmp"});
        QTest::newRow("no public key")
            << list({"assertion", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA"});
        QTest::newRow("public key not COSE")
            << list({"assertion", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA",
                     "--public-key", "AAAA"});
        QTest::newRow("bad --at") << list({"registration", "--rp-id", "a", "--origin", "o",
                                           "--challenge", "AAAA", "--at", "2024-01-01 12:00"});
        QTest::newRow("--at without offset")
            << list({"registration", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA", "--at",
                     "2024-01-01T12:00:00"});
        QTest::newRow("missing roots dir")
            << list({"registration", "--rp-id", "a", "--origin", "o", "--challenge", "AAAA",
                     "--roots", "/nonexistent/roots"});
        QTest::newRow("rp-id twice") << list({"registration", "--rp-id", "a", "--rp-id", "b",
                                              "--origin", "o", "--challenge", "AAAA"});
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        const Run run = runVerify(arguments, "{}");
        QVERIFY2(run.exitCode == 2, qPrintable(verdictText(run)));
        QVERIFY(run.stdoutText.isEmpty());
        QVERIFY(run.stderrText.contains("usage:"));
    }

    void badSignCountAndUserHandleAreUsageErrors()
    {
        const QJsonObject vector = loadVector(QStringLiteral("none-es256"));
        const Run registered = runVerify(
            QStringList{QStringLiteral("registration")} +
                ceremonyFlags(vector, vector.value(QLatin1StringView("registration")).toObject()),
            registrationJson(vector));
        QCOMPARE(registered.exitCode, 0);
        const QStringList assertion =
            QStringList{QStringLiteral("assertion")} +
            ceremonyFlags(vector, vector.value(QLatin1StringView("authentication")).toObject()) +
            QStringList{QStringLiteral("--public-key"), member(registered.verdict, "public_key")};
        for (const QStringList &extra :
             {QStringList{QStringLiteral("--sign-count"), QStringLiteral("-1")},
              QStringList{QStringLiteral("--sign-count"), QStringLiteral("4294967296")},
              QStringList{QStringLiteral("--user-handle"), QStringLiteral("a+b")}}) {
            const Run run = runVerify(assertion + extra, assertionJson(vector));
            QVERIFY2(run.exitCode == 2, qPrintable(extra.join(u' ') + u' ' + verdictText(run)));
        }
    }
};

QTEST_GUILESS_MAIN(TestVerifyCli)
#include "tst_verify_cli.moc"
