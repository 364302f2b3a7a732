// The W3C WebAuthn Level 3 test vectors (tests/data/vectors/w3c), end to end
// through the library: registration, then the assertion with the key that
// registration yielded. Each must verify, and a flipped signature byte must not,
// except the android-key registration, which §8.4.1 refuses (see refusedBySpec).
#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/authentication.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/registration.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace daarion::webauthn;

namespace
{

QByteArray b64(const QJsonValue &value)
{
    const auto decoded = decodeBase64Url(value.toString().toLatin1());
    return decoded ? *decoded : QByteArray();
}

QString vectorDirectory()
{
    const QByteArray data = qgetenv("DAARION_TEST_DATA");
    return data.isEmpty() ? QString()
                          : QString::fromLocal8Bit(data) + QStringLiteral("/vectors/w3c");
}

// The attestation format a vector exercises, from its file name.
QString expectedFormat(const QString &name)
{
    for (const char *fmt : {"android-key", "apple", "fido-u2f", "none", "packed", "tpm"}) {
        if (name.startsWith(QLatin1StringView(fmt)))
            return QLatin1StringView(fmt).toString();
    }
    return {};
}

// The vector whose registration WebAuthn §8.4.1 refuses: its KeyDescription's
// softwareEnforced and teeEnforced lists are empty, so neither origin =
// KM_ORIGIN_GENERATED nor purpose = KM_PURPOSE_SIGN holds (py_webauthn and
// go-webauthn refuse it too; tests/data/vectors/README.md).
bool refusedBySpec(const QString &name)
{
    return name == QLatin1StringView("android-key-es256");
}

// What an assertion is verified against: the registered credential, or for a
// refused registration the key read straight from its authenticatorData.
struct StoredCredential {
    QByteArray id;
    QByteArray publicKeyCose;
    quint32 signCount = 0;
    bool backupEligible = false;
};

StoredCredential storedFrom(const RegisteredCredential &registered)
{
    return {registered.credentialId, registered.publicKeyCose, registered.signCount,
            registered.backupEligible};
}

StoredCredential storedFromAuthenticatorData(const QByteArray &attestationObject)
{
    Result<AttestationObject> object = parseAttestationObject(attestationObject);
    if (!object)
        return {};
    Result<AuthenticatorData> authData = parseAuthenticatorData(object->authData);
    if (!authData || !authData->attestedCredential)
        return {};
    return {authData->attestedCredential->credentialId,
            authData->attestedCredential->publicKey.encoded, authData->signCount,
            authData->backupEligible()};
}

} // namespace

class TestW3cVectors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (vectorDirectory().isEmpty())
            QFAIL("DAARION_TEST_DATA is not set (run through CTest)");
        const QStringList files =
            QDir(vectorDirectory()).entryList({QStringLiteral("*.json")}, QDir::Files);
        QCOMPARE(files.size(), 15);
    }

    void vector_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        const QDir directory(vectorDirectory());
        for (const QString &file :
             directory.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile in(directory.filePath(file));
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QJsonDocument document = QJsonDocument::fromJson(in.readAll());
            QVERIFY2(document.isObject(), qPrintable(file));
            QTest::newRow(qPrintable(file.chopped(5))) << document.object();
        }
    }

    void vector()
    {
        QFETCH(QJsonObject, vector);
        const QString name = QString::fromLatin1(QTest::currentDataTag());
        const QJsonObject registrationJson =
            vector.value(QLatin1StringView("registration")).toObject();
        const QJsonObject assertionJson =
            vector.value(QLatin1StringView("authentication")).toObject();
        const QString credentialIdText =
            vector.value(QLatin1StringView("credential_id")).toString();
        const QString origin = vector.value(QLatin1StringView("origin")).toString();
        const bool crossOrigin = vector.value(QLatin1StringView("cross_origin")).toBool();
        const QJsonValue topOrigin = vector.value(QLatin1StringView("top_origin"));
        const QJsonValue root =
            vector.value(QLatin1StringView("attestation_trust_root_der_b64url"));

        // Embedding is allowed only where the RP lists top origins: the vector's
        // own, or (for a crossOrigin vector without one) the README's https://example.com.
        QStringList topOrigins;
        if (topOrigin.isString())
            topOrigins << topOrigin.toString();
        else if (crossOrigin)
            topOrigins << QStringLiteral("https://example.com");

        RegistrationResponse response;
        response.id = credentialIdText;
        response.rawId = b64(credentialIdText);
        response.type = QStringLiteral("public-key");
        response.clientDataJSON = b64(registrationJson.value(QLatin1StringView("clientDataJSON")));
        response.attestationObject =
            b64(registrationJson.value(QLatin1StringView("attestationObject")));
        QVERIFY(!response.rawId.isEmpty() && !response.attestationObject.isEmpty());

        TrustAnchors anchors;
        RegistrationPolicy policy;
        policy.challenge = b64(registrationJson.value(QLatin1StringView("challenge")));
        policy.rpId = vector.value(QLatin1StringView("rp_id")).toString();
        policy.allowedOrigins = {origin};
        policy.allowedTopOrigins = topOrigins;
        if (root.isString()) {
            anchors.addRoot(b64(root));
            policy.trustAnchors = &anchors;
        }

        Result<RegisteredCredential> registered = verifyRegistration(response, policy);
        StoredCredential stored;
        if (refusedBySpec(name)) {
            QVERIFY(!registered);
            QCOMPARE(registered.error().code, ErrorCode::AttestationInvalid);
            QVERIFY2(registered.error().message.contains(QLatin1StringView("no origin")),
                     qPrintable(registered.error().message));
            stored = storedFromAuthenticatorData(response.attestationObject);
            QCOMPARE(encodeBase64Url(stored.id), credentialIdText.toLatin1());
        } else {
            QVERIFY2(registered, registered ? ""
                                            : qPrintable(errorCodeName(registered.error().code) +
                                                         u' ' + registered.error().message));
            QCOMPARE(encodeBase64Url(registered->credentialId), credentialIdText.toLatin1());
            QCOMPARE(registered->aaguid.toHex(),
                     vector.value(QLatin1StringView("aaguid_hex")).toString().toLatin1());
            QCOMPARE(registered->fmt, expectedFormat(name));
            QCOMPARE(registered->trusted, root.isString());
            if (root.isString()) {
                QVERIFY(registered->attestationType != AttestationType::None);
                QVERIFY(registered->attestationType != AttestationType::Self);
                QVERIFY(!registered->trustPath.isEmpty());
            } else if (registered->fmt == QLatin1StringView("packed")) {
                QCOMPARE(registered->attestationType, AttestationType::Self);
            } else {
                QCOMPARE(registered->attestationType, AttestationType::None);
            }
            // The same response under a policy that requires trust: only rooted ones pass.
            policy.requireTrustedAttestation = true;
            Result<RegisteredCredential> strict = verifyRegistration(response, policy);
            QCOMPARE(bool(strict), root.isString());
            if (!strict)
                QCOMPARE(strict.error().code, ErrorCode::AttestationInvalid);
            stored = storedFrom(*registered);
        }

        // Authentication with the registered key.
        AssertionResponse assertion;
        assertion.id = credentialIdText;
        assertion.rawId = response.rawId;
        assertion.type = QStringLiteral("public-key");
        assertion.clientDataJSON = b64(assertionJson.value(QLatin1StringView("clientDataJSON")));
        assertion.authenticatorData =
            b64(assertionJson.value(QLatin1StringView("authenticatorData")));
        assertion.signature = b64(assertionJson.value(QLatin1StringView("signature")));

        AssertionPolicy assertionPolicy;
        assertionPolicy.challenge = b64(assertionJson.value(QLatin1StringView("challenge")));
        assertionPolicy.rpId = policy.rpId;
        assertionPolicy.allowedOrigins = {origin};
        assertionPolicy.allowedTopOrigins = topOrigins;
        assertionPolicy.credentialId = stored.id;
        assertionPolicy.publicKeyCose = stored.publicKeyCose;
        assertionPolicy.storedSignCount = stored.signCount;
        assertionPolicy.storedBackupEligible = stored.backupEligible;

        Result<AssertionVerdict> verdict = verifyAssertion(assertion, assertionPolicy);
        QVERIFY2(verdict, verdict ? ""
                                  : qPrintable(errorCodeName(verdict.error().code) + u' ' +
                                               verdict.error().message));
        QVERIFY(verdict->flags & 0x01);

        // The signature is really checked: one flipped bit anywhere in it fails.
        AssertionResponse tampered = assertion;
        tampered.signature[tampered.signature.size() / 2] =
            char(tampered.signature[tampered.signature.size() / 2] ^ 0x01);
        Result<AssertionVerdict> refused = verifyAssertion(tampered, assertionPolicy);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::SignatureInvalid);

        // A cross-origin response is refused when the RP does not expect to be embedded.
        if (crossOrigin) {
            policy.requireTrustedAttestation = false;
            policy.allowedTopOrigins.clear();
            Result<RegisteredCredential> embedded = verifyRegistration(response, policy);
            QVERIFY(!embedded);
            QCOMPARE(embedded.error().code, ErrorCode::OriginMismatch);
        }
    }

    // Every truncation of the attestationObject, and every single-bit change
    // in the signed bytes of the assertion, is refused (and nothing crashes).
    void tamperingIsRefused_data() { vector_data(); }
    void tamperingIsRefused()
    {
        QFETCH(QJsonObject, vector);
        const QJsonObject registrationJson =
            vector.value(QLatin1StringView("registration")).toObject();
        const QJsonObject assertionJson =
            vector.value(QLatin1StringView("authentication")).toObject();
        const QString credentialIdText =
            vector.value(QLatin1StringView("credential_id")).toString();
        const QJsonValue topOrigin = vector.value(QLatin1StringView("top_origin"));
        const QStringList topOrigins{topOrigin.isString() ? topOrigin.toString()
                                                          : QStringLiteral("https://example.com")};
        const QStringList origins{vector.value(QLatin1StringView("origin")).toString()};

        RegistrationResponse response;
        response.id = credentialIdText;
        response.rawId = b64(credentialIdText);
        response.type = QStringLiteral("public-key");
        response.clientDataJSON = b64(registrationJson.value(QLatin1StringView("clientDataJSON")));
        response.attestationObject =
            b64(registrationJson.value(QLatin1StringView("attestationObject")));
        RegistrationPolicy policy;
        policy.challenge = b64(registrationJson.value(QLatin1StringView("challenge")));
        policy.rpId = vector.value(QLatin1StringView("rp_id")).toString();
        policy.allowedOrigins = origins;
        policy.allowedTopOrigins = topOrigins;
        Result<RegisteredCredential> registered = verifyRegistration(response, policy);
        const QString name = QString::fromLatin1(QTest::currentDataTag());
        QCOMPARE(bool(registered), !refusedBySpec(name));
        const StoredCredential stored =
            registered ? storedFrom(*registered)
                       : storedFromAuthenticatorData(response.attestationObject);

        const QByteArray attestationObject = response.attestationObject;
        for (qsizetype length = 0; length < attestationObject.size(); ++length) {
            response.attestationObject = attestationObject.left(length);
            Result<RegisteredCredential> truncated = verifyRegistration(response, policy);
            QVERIFY2(!truncated, qPrintable(QStringLiteral("truncated to %1 bytes").arg(length)));
            QCOMPARE(truncated.error().code, ErrorCode::MalformedCredential);
        }

        AssertionResponse assertion;
        assertion.id = credentialIdText;
        assertion.rawId = response.rawId;
        assertion.type = QStringLiteral("public-key");
        assertion.clientDataJSON = b64(assertionJson.value(QLatin1StringView("clientDataJSON")));
        assertion.authenticatorData =
            b64(assertionJson.value(QLatin1StringView("authenticatorData")));
        assertion.signature = b64(assertionJson.value(QLatin1StringView("signature")));
        AssertionPolicy assertionPolicy;
        assertionPolicy.challenge = b64(assertionJson.value(QLatin1StringView("challenge")));
        assertionPolicy.rpId = policy.rpId;
        assertionPolicy.allowedOrigins = origins;
        assertionPolicy.allowedTopOrigins = topOrigins;
        assertionPolicy.credentialId = stored.id;
        assertionPolicy.publicKeyCose = stored.publicKeyCose;
        QVERIFY(verifyAssertion(assertion, assertionPolicy));
        for (QByteArray AssertionResponse::*field :
             {&AssertionResponse::authenticatorData, &AssertionResponse::clientDataJSON}) {
            const QByteArray original = assertion.*field;
            for (qsizetype index = 0; index < original.size(); ++index) {
                for (int bit : {0x01, 0x80}) {
                    AssertionResponse tampered = assertion;
                    (tampered.*field)[index] = char(original[index] ^ bit);
                    QVERIFY2(
                        !verifyAssertion(tampered, assertionPolicy),
                        qPrintable(QStringLiteral("byte %1 bit %2 accepted").arg(index).arg(bit)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestW3cVectors)
#include "tst_w3c_vectors.moc"
