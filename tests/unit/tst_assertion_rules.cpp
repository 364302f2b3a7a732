// One test per authentication rule (WebAuthn L3 §7.2): a credential is
// registered through the verifier, then each test makes a fresh assertion,
// changes one thing and expects exactly that rule's error code. Each negative
// test first runs the same set-up unchanged and requires it to pass.

#include "shared/webauthn/bytes.h"
#include "tests/support/ceremony_fixture.h"

#include <QTest>

using namespace daarion::testing;
using daarion::webauthn::encodeBase64Url;
using daarion::webauthn::ErrorCode;
using daarion::webauthn::RegisteredCredential;
using daarion::webauthn::sha256;
using Policy = daarion::webauthn::AssertionPolicy;

namespace
{

using PolicyEdit = std::function<void(Policy &)>;

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(encodeBase64Url(bytes));
}

SoftAuthenticator::Config withAlgorithm(std::int64_t alg)
{
    SoftAuthenticator::Config config;
    config.algorithms = {alg};
    return config;
}

// Registers a credential through the verifier: the record is what the RP stores.
RegisteredCredential enroll(SoftAuthenticator &authenticator,
                            const QByteArray &userHandle = QByteArrayLiteral("user-handle-1"))
{
    RegistrationCeremony ceremony = CeremonyFixture::registration(userHandle);
    const SoftRegistration reg = authenticator.create(ceremony.options, CeremonyFixture::kOrigin);
    auto result = CeremonyFixture::verify(reg, ceremony.policy);
    if (!result.ok())
        qFatal("enrolment failed: %s", CeremonyFixture::describe(result).constData());
    return *result;
}

// Signs in twice with the credential of `record`: with `base` tweaks (must be
// accepted) and with `broken` (must fail with `code`).
void expectAssertionError(SoftAuthenticator &authenticator, const RegisteredCredential &record,
                          const SoftTweaks &broken, ErrorCode code,
                          const PolicyEdit &editPolicy = {}, const SoftTweaks &base = {})
{
    AssertionCeremony control = CeremonyFixture::assertion(record);
    if (editPolicy)
        editPolicy(control.policy);
    const SoftAssertion good = authenticator.get(control.options, CeremonyFixture::kOrigin, base);
    QVERIFY2(good.ok(), qPrintable(good.domError));
    DAARION_EXPECT_OK(CeremonyFixture::verify(good, control.policy));

    AssertionCeremony ceremony = CeremonyFixture::assertion(record);
    if (editPolicy)
        editPolicy(ceremony.policy);
    const SoftAssertion bad = authenticator.get(ceremony.options, CeremonyFixture::kOrigin, broken);
    QVERIFY2(bad.ok(), qPrintable(bad.domError));
    DAARION_EXPECT_ERROR(CeremonyFixture::verify(bad, ceremony.policy), code);
}

} // namespace

class TestAssertionRules : public QObject
{
    Q_OBJECT

private slots:
    void wrongChallenge()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) {
            cd.insert(QStringLiteral("challenge"), b64(randomBytes(32)));
        };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::ChallengeInvalid);
    }

    void originNotAllowed_data()
    {
        QTest::addColumn<QString>("origin");
        QTest::newRow("other site") << QStringLiteral("https://evil.test");
        QTest::newRow("http scheme") << QStringLiteral("http://app.daarion.test");
        QTest::newRow("registrable-domain sibling") << QStringLiteral("https://other.daarion.test");
    }

    void originNotAllowed()
    {
        QFETCH(QString, origin);
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.clientData = [&](QJsonObject &cd) { cd.insert(QStringLiteral("origin"), origin); };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::OriginMismatch);
    }

    void crossOriginWithTopOriginNotAllowed()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks base;
        base.topOrigin = CeremonyFixture::kTopOrigin;
        SoftTweaks tweaks;
        tweaks.topOrigin = QStringLiteral("https://evil.test");
        expectAssertionError(authenticator, record, tweaks, ErrorCode::OriginMismatch, {}, base);
    }

    void crossOriginWithoutTopOriginRefusedWhenTopOriginRequired()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks base;
        base.topOrigin = CeremonyFixture::kTopOrigin;
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) { cd.insert(QStringLiteral("crossOrigin"), true); };
        expectAssertionError(
            authenticator, record, tweaks, ErrorCode::OriginMismatch,
            [](Policy &policy) { policy.requireTopOrigin = true; }, base);
    }

    void typeCreateAtAssertion()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) {
            cd.insert(QStringLiteral("type"), QStringLiteral("webauthn.create"));
        };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::TypeMismatch);
    }

    void rpIdHashOfAnotherRp()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.authenticatorData = [](QByteArray &ad) { ad.replace(0, 32, sha256("evil.test")); };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::RpIdMismatch);
    }

    void userPresenceCleared()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UP;
        expectAssertionError(authenticator, record, tweaks, ErrorCode::UserPresenceRequired);
    }

    void userVerificationClearedUnderRequiredPolicy()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UV;
        expectAssertionError(authenticator, record, tweaks, ErrorCode::UserVerificationRequired,
                             [](Policy &policy) { policy.requireUserVerification = true; });
    }

    void userVerificationClearedAcceptedWhenNotRequired()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UV;
        auto result = CeremonyFixture::verify(
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, tweaks), ceremony.policy);
        DAARION_EXPECT_OK(result);
        QCOMPARE(result->userVerified, false);
    }

    void backupStateWithoutBackupEligible()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::BS;
        // Without a stored BE the BS rule alone must catch it.
        expectAssertionError(authenticator, record, tweaks, ErrorCode::BackupFlagsInvalid,
                             [](Policy &policy) { policy.storedBackupEligible.reset(); });
    }

    void backupEligibilityChangedAfterRegistration_data()
    {
        QTest::addColumn<bool>("registeredEligible");
        QTest::newRow("was eligible, now not") << true;
        QTest::newRow("was not eligible, now is") << false;
    }

    void backupEligibilityChangedAfterRegistration()
    {
        QFETCH(bool, registeredEligible);
        SoftAuthenticator::Config config;
        config.backupEligible = registeredEligible;
        SoftAuthenticator authenticator(config);
        const RegisteredCredential record = enroll(authenticator);
        QCOMPARE(record.backupEligible, registeredEligible);
        SoftTweaks tweaks;
        if (registeredEligible)
            tweaks.clearFlags = softflag::BE;
        else
            tweaks.setFlags = softflag::BE;
        expectAssertionError(authenticator, record, tweaks, ErrorCode::BackupFlagsInvalid);
    }

    void backupStateMayChange()
    {
        // BS follows the sync state; only BE is fixed.
        SoftAuthenticator::Config config;
        config.backupEligible = true;
        SoftAuthenticator authenticator(config);
        const RegisteredCredential record = enroll(authenticator);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::BS;
        auto result = CeremonyFixture::verify(
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, tweaks), ceremony.policy);
        DAARION_EXPECT_OK(result);
        QVERIFY(result->backupState);
    }

    void flippedSignatureByte_data()
    {
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<int>("position"); // 0 first, 1 middle, 2 last
        for (std::int64_t alg : {softalg::ES256, softalg::EdDSA, softalg::RS256}) {
            for (int position : {0, 1, 2})
                QTest::addRow("%s %s", qPrintable(softAlgorithmName(alg)),
                              position == 0   ? "first"
                              : position == 1 ? "middle"
                                              : "last")
                    << qint64(alg) << position;
        }
    }

    void flippedSignatureByte()
    {
        QFETCH(qint64, alg);
        QFETCH(int, position);
        SoftAuthenticator authenticator(withAlgorithm(alg));
        const RegisteredCredential record = enroll(authenticator);
        QCOMPARE(record.alg, alg);
        SoftTweaks tweaks;
        tweaks.signature = [&](QByteArray &sig) {
            const qsizetype index = position == 0   ? 0
                                    : position == 1 ? sig.size() / 2
                                                    : sig.size() - 1;
            sig[index] = char(sig.at(index) ^ 0x01);
        };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::SignatureInvalid);
    }

    void signatureOverOtherClientData()
    {
        // The signature is valid, but for a different clientDataJSON than the one sent.
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        const SoftAssertion sent = authenticator.get(ceremony.options, CeremonyFixture::kOrigin);
        SoftTweaks tweaks;
        tweaks.clientDataJson = [](QByteArray &json) {
            json.replace("\"crossOrigin\":false", "\"crossOrigin\":false ");
        };
        const SoftAssertion other =
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        QJsonObject json = sent.json;
        QJsonObject response = json.value(QStringLiteral("response")).toObject();
        response.insert(QStringLiteral("signature"), b64(other.signature));
        response.insert(QStringLiteral("authenticatorData"), b64(other.authenticatorData));
        json.insert(QStringLiteral("response"), response);
        SoftAssertion spliced = sent;
        spliced.json = json;
        DAARION_EXPECT_OK(CeremonyFixture::verify(sent, ceremony.policy));
        DAARION_EXPECT_ERROR(CeremonyFixture::verify(spliced, ceremony.policy),
                             ErrorCode::SignatureInvalid);
    }

    void signatureByAnotherKey()
    {
        // The stored record holds another credential's key under this credential's ID.
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftAuthenticator otherAuthenticator;
        const RegisteredCredential other = enroll(otherAuthenticator);
        AssertionCeremony control = CeremonyFixture::assertion(record);
        DAARION_EXPECT_OK(CeremonyFixture::verify(
            authenticator.get(control.options, CeremonyFixture::kOrigin), control.policy));
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        ceremony.policy.publicKeyCose = other.publicKeyCose;
        DAARION_EXPECT_ERROR(
            CeremonyFixture::verify(authenticator.get(ceremony.options, CeremonyFixture::kOrigin),
                                    ceremony.policy),
            ErrorCode::SignatureInvalid);
    }

    void truncatedAuthenticatorData_data()
    {
        QTest::addColumn<int>("keep");
        QTest::newRow("36 bytes") << 36;
        QTest::newRow("32 bytes") << 32;
        QTest::newRow("empty") << 0;
    }

    void truncatedAuthenticatorData()
    {
        QFETCH(int, keep);
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks; // cut before signing: the signature covers the short bytes
        tweaks.authenticatorData = [&](QByteArray &ad) { ad.truncate(keep); };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::MalformedCredential);
    }

    void authenticatorDataWithByteAppended()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.authenticatorData = [](QByteArray &ad) { ad.append('\0'); };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::MalformedCredential);
    }

    void extensionsFlagWithoutExtensions()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::ED;
        expectAssertionError(authenticator, record, tweaks, ErrorCode::MalformedCredential);
    }

    void extensionsAccepted()
    {
        // ED with one well-formed extensions map is valid authenticatorData.
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::ED;
        tweaks.authenticatorData = [](QByteArray &ad) {
            ad += CborValue::map({{"credProtect", 2}}).encode();
        };
        DAARION_EXPECT_OK(CeremonyFixture::verify(
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, tweaks),
            ceremony.policy));
    }

    void userHandleOfAnotherUser()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.userHandle = QByteArrayLiteral("user-handle-2");
        expectAssertionError(authenticator, record, tweaks, ErrorCode::UnknownCredential);
    }

    void userHandleMayBeAbsent()
    {
        SoftAuthenticator::Config config;
        config.returnsUserHandle = false; // U2F-style authenticators return none
        SoftAuthenticator authenticator(config);
        const RegisteredCredential record = enroll(authenticator);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        const SoftAssertion assertion =
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin);
        QVERIFY(!assertion.userHandle);
        DAARION_EXPECT_OK(CeremonyFixture::verify(assertion, ceremony.policy));
    }

    void counterRegression_data()
    {
        QTest::addColumn<quint32>("stored");
        QTest::addColumn<quint32>("deviceBefore"); // the device counts +1 before signing
        QTest::addColumn<bool>("alwaysZero");
        QTest::newRow("went back") << 10u << 4u << false;
        QTest::newRow("stood still") << 10u << 9u << false;
        QTest::newRow("dropped to zero") << 10u << 0u << true;
        QTest::newRow("wrapped around") << 0xfffffff0u << 0u << false;
    }

    void counterRegression()
    {
        QFETCH(quint32, stored);
        QFETCH(quint32, deviceBefore);
        QFETCH(bool, alwaysZero);
        SoftAuthenticator authenticator;
        RegisteredCredential record = enroll(authenticator);
        const SoftCredential credential = authenticator.credential(record.credentialId);
        record.signCount = stored;

        // Control: a device ahead of the stored counter.
        credential.setSignCount(stored);
        AssertionCeremony control = CeremonyFixture::assertion(record);
        auto accepted = CeremonyFixture::verify(
            authenticator.get(control.options, CeremonyFixture::kOrigin), control.policy);
        DAARION_EXPECT_OK(accepted);
        QCOMPARE(accepted->signCount, stored + 1);

        credential.setSignCount(deviceBefore);
        if (alwaysZero)
            credential.setCounterMode(CounterMode::AlwaysZero);
        AssertionCeremony ceremony = CeremonyFixture::assertion(record);
        DAARION_EXPECT_ERROR(
            CeremonyFixture::verify(authenticator.get(ceremony.options, CeremonyFixture::kOrigin),
                                    ceremony.policy),
            ErrorCode::CounterRegression);
    }

    void counterZeroOnBothSidesAccepted()
    {
        // Synced passkeys never count: zero stored, zero reported, every time.
        SoftAuthenticator::Config config;
        config.counterMode = CounterMode::AlwaysZero;
        SoftAuthenticator authenticator(config);
        const RegisteredCredential record = enroll(authenticator);
        QCOMPARE(record.signCount, 0u);
        for (int i = 0; i < 3; ++i) {
            AssertionCeremony ceremony = CeremonyFixture::assertion(record);
            auto result = CeremonyFixture::verify(
                authenticator.get(ceremony.options, CeremonyFixture::kOrigin), ceremony.policy);
            DAARION_EXPECT_OK(result);
            QCOMPARE(result->signCount, 0u);
        }
    }

    void credentialOfAnotherRecord()
    {
        // id and rawId both name a credential other than the one the RP expects.
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        const RegisteredCredential other = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.credential = authenticator.credential(other.credentialId);
        expectAssertionError(authenticator, record, tweaks, ErrorCode::UnknownCredential);
    }

    void idNotMatchingRawId()
    {
        // rawId names the right credential; id is not its base64url form.
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.responseJson = [](QJsonObject &json) {
            json.insert(QStringLiteral("id"), b64(randomBytes(16)));
        };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::MalformedCredential);
    }

    void credentialTypeNotPublicKey()
    {
        SoftAuthenticator authenticator;
        const RegisteredCredential record = enroll(authenticator);
        SoftTweaks tweaks;
        tweaks.responseJson = [](QJsonObject &json) {
            json.insert(QStringLiteral("type"), QStringLiteral("password"));
        };
        expectAssertionError(authenticator, record, tweaks, ErrorCode::MalformedCredential);
    }
};

QTEST_GUILESS_MAIN(TestAssertionRules)
#include "tst_assertion_rules.moc"
