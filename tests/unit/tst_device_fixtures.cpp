// Responses captured from real authenticators (tests/data/devices, see its
// README) through the library exactly as the service parses them: each must
// give the verdict py_webauthn, SimpleWebAuthn and java-webauthn-server agree
// on. A valid registration is then asserted with the key it yielded, and the
// same assertion must fail once its signature is changed.
#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/authentication.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/registration.h"
#include "shared/webauthn/response_json.h"
#include "tests/support/device_fixture.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <stdexcept>

using namespace daarion::webauthn;
using namespace daarion::testing;

Q_DECLARE_METATYPE(daarion::testing::DeviceFixture)

namespace
{

QByteArray b64(const QString &text)
{
    const auto decoded = decodeBase64Url(text.toLatin1());
    return decoded ? *decoded : QByteArray();
}

QString describe(const Error &error)
{
    return errorCodeName(error.code) + u' ' + error.message;
}

// The fixture's roots, written as the operator would configure them.
bool loadRoots(const DeviceFixture &fixture, QTemporaryDir &directory, TrustAnchors &anchors)
{
    for (qsizetype i = 0; i < fixture.rootsPem.size(); ++i) {
        QFile file(directory.filePath(QStringLiteral("root%1.pem").arg(i)));
        if (!file.open(QIODevice::WriteOnly) || file.write(fixture.rootsPem[i]) < 0)
            return false;
    }
    return anchors.loadDirectory(directory.path()).ok();
}

RegistrationPolicy registrationPolicy(const DeviceFixture &fixture)
{
    RegistrationPolicy policy;
    policy.challenge = b64(fixture.registration->challenge);
    policy.rpId = fixture.rpId;
    policy.allowedOrigins = {fixture.origin};
    policy.verificationTime = fixture.verificationTime;
    return policy;
}

} // namespace

class TestDeviceFixtures : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (deviceFixtureDirectory().isEmpty())
            QFAIL("DAARION_TEST_DATA is not set (run through CTest)");
        QList<DeviceFixture> fixtures;
        try {
            fixtures = loadDeviceFixtures();
        } catch (const std::runtime_error &broken) {
            QFAIL(broken.what());
        }
        QVERIFY2(fixtures.size() >= 50, qPrintable(QString::number(fixtures.size())));
    }

    void registration_data()
    {
        QTest::addColumn<DeviceFixture>("fixture");
        for (const DeviceFixture &fixture : loadDeviceFixtures()) {
            if (fixture.registration)
                QTest::newRow(qPrintable(fixture.name)) << fixture;
        }
    }
    void registration()
    {
        QFETCH(DeviceFixture, fixture);
        const ExpectedVerdict &expected = fixture.registration->expected;
        Result<RegistrationResponse> response =
            registrationResponseFromJson(fixture.registration->response);
        QVERIFY2(response, response ? "" : qPrintable(describe(response.error())));

        RegistrationPolicy policy = registrationPolicy(fixture);
        QTemporaryDir rootsDirectory;
        TrustAnchors anchors;
        if (!fixture.rootsPem.isEmpty()) {
            QVERIFY(loadRoots(fixture, rootsDirectory, anchors));
            policy.trustAnchors = &anchors;
        }
        Result<RegisteredCredential> registered = verifyRegistration(*response, policy);
        if (!expected.valid) {
            QVERIFY2(!registered, "verified, but every established verifier refuses it");
            QCOMPARE(errorCodeName(registered.error().code), expected.error);
            return;
        }
        QVERIFY2(registered, registered ? "" : qPrintable(describe(registered.error())));
        QCOMPARE(registered->fmt, expected.fmt);
        QCOMPARE(attestationTypeName(registered->attestationType), expected.attestationType);
        QCOMPARE(QUuid::fromRfc4122(registered->aaguid).toString(QUuid::WithoutBraces),
                 expected.aaguid);
        QCOMPARE(QString::fromLatin1(encodeBase64Url(registered->credentialId)),
                 expected.credentialId);
        QCOMPARE(registered->trusted, expected.trusted.value_or(false));
        if (expected.trusted.value_or(false)) {
            // The same roots, required: still accepted.
            policy.requireTrustedAttestation = true;
            QVERIFY(verifyRegistration(*response, policy).ok());
        }
    }

    void registrationRefusedUnderAnotherChallenge_data() { registration_data(); }
    void registrationRefusedUnderAnotherChallenge()
    {
        QFETCH(DeviceFixture, fixture);
        Result<RegistrationResponse> response =
            registrationResponseFromJson(fixture.registration->response);
        QVERIFY(response);
        RegistrationPolicy policy = registrationPolicy(fixture);
        policy.challenge = QByteArray(32, '\x01');
        Result<RegisteredCredential> registered = verifyRegistration(*response, policy);
        QVERIFY(!registered);
        QCOMPARE(registered.error().code, ErrorCode::ChallengeInvalid);
    }

    void authentication_data()
    {
        QTest::addColumn<DeviceFixture>("fixture");
        for (const DeviceFixture &fixture : loadDeviceFixtures()) {
            if (fixture.authentication)
                QTest::newRow(qPrintable(fixture.name)) << fixture;
        }
    }
    void authentication()
    {
        QFETCH(DeviceFixture, fixture);
        AssertionPolicy policy;
        policy.rpId = fixture.rpId;
        policy.allowedOrigins = {fixture.origin};
        policy.challenge = b64(fixture.authentication->challenge);
        policy.requireUserVerification = fixture.requireUserVerification;
        policy.publicKeyCose = fixture.publicKeyCose;
        policy.storedSignCount = fixture.signCount;
        if (fixture.registration) {
            Result<RegistrationResponse> registration =
                registrationResponseFromJson(fixture.registration->response);
            QVERIFY(registration);
            Result<RegisteredCredential> registered =
                verifyRegistration(*registration, registrationPolicy(fixture));
            QVERIFY2(registered, registered ? "" : qPrintable(describe(registered.error())));
            policy.publicKeyCose = registered->publicKeyCose;
            policy.storedSignCount = registered->signCount;
            policy.storedBackupEligible = registered->backupEligible;
        }

        Result<AssertionResponse> response =
            assertionResponseFromJson(fixture.authentication->response);
        QVERIFY2(response, response ? "" : qPrintable(describe(response.error())));
        policy.credentialId = response->rawId;
        policy.userHandle = response->userHandle; // the owner the capture's RP knew
        Result<AssertionVerdict> verdict = verifyAssertion(*response, policy);
        const ExpectedVerdict &expected = fixture.authentication->expected;
        if (!expected.valid) {
            QVERIFY2(!verdict, "verified, but every established verifier refuses it");
            QCOMPARE(errorCodeName(verdict.error().code), expected.error);
            return;
        }
        QVERIFY2(verdict, verdict ? "" : qPrintable(describe(verdict.error())));

        AssertionResponse tampered = *response;
        tampered.signature[tampered.signature.size() / 2] ^= 0x01;
        Result<AssertionVerdict> refused = verifyAssertion(tampered, policy);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::SignatureInvalid);
    }
};

QTEST_GUILESS_MAIN(TestDeviceFixtures)
#include "tst_device_fixtures.moc"
