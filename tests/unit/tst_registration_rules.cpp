// One test per registration rule (WebAuthn L3 §7.1): the soft authenticator
// makes a fresh, valid response, one thing in it is changed, and the verifier
// must refuse it with exactly that rule's error code. Each negative test first
// runs the same set-up without the change and requires it to pass, so a test
// can only pass because of the one thing it changed.

#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/bytes.h"
#include "tests/support/ceremony_fixture.h"

#include <QJsonArray>
#include <QTest>

using namespace daarion::testing;
using daarion::webauthn::encodeBase64Url;
using daarion::webauthn::ErrorCode;
using daarion::webauthn::sha256;
using Policy = daarion::webauthn::RegistrationPolicy;

namespace
{

using PolicyEdit = std::function<void(Policy &)>;

SoftAuthenticator::Config withFormat(AttestationFormat format, std::int64_t alg = softalg::ES256)
{
    SoftAuthenticator::Config config;
    config.attestation = format;
    config.algorithms = {alg};
    return config;
}

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(encodeBase64Url(bytes));
}

// Runs the ceremony twice on `authenticator`: with `base` tweaks (must be
// accepted) and with `broken` tweaks (must fail with `code`).
void expectRegistrationError(SoftAuthenticator &authenticator, const SoftTweaks &broken,
                             ErrorCode code, const PolicyEdit &editPolicy = {},
                             const SoftTweaks &base = {})
{
    RegistrationCeremony control = CeremonyFixture::registration();
    if (editPolicy)
        editPolicy(control.policy);
    const SoftRegistration good =
        authenticator.create(control.options, CeremonyFixture::kOrigin, base);
    QVERIFY2(good.ok(), qPrintable(good.domError));
    DAARION_EXPECT_OK(CeremonyFixture::verify(good, control.policy));

    RegistrationCeremony ceremony = CeremonyFixture::registration();
    if (editPolicy)
        editPolicy(ceremony.policy);
    const SoftRegistration bad =
        authenticator.create(ceremony.options, CeremonyFixture::kOrigin, broken);
    QVERIFY2(bad.ok(), qPrintable(bad.domError));
    DAARION_EXPECT_ERROR(CeremonyFixture::verify(bad, ceremony.policy), code);
}

} // namespace

class TestRegistrationRules : public QObject
{
    Q_OBJECT

private slots:
    void wrongChallenge()
    {
        SoftAuthenticator authenticator;
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) {
            cd.insert(QStringLiteral("challenge"), b64(randomBytes(32)));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::ChallengeInvalid);
    }

    void challengeOfTheOtherCeremonyType()
    {
        // A challenge issued for sign-in is not one for registration: the
        // policy holds the registration challenge, the response echoes another.
        SoftAuthenticator authenticator;
        const QByteArray issuedForSignIn = randomBytes(32);
        SoftTweaks tweaks;
        tweaks.clientData = [&](QJsonObject &cd) {
            cd.insert(QStringLiteral("challenge"), b64(issuedForSignIn));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::ChallengeInvalid);
    }

    void originNotAllowed_data()
    {
        QTest::addColumn<QString>("origin");
        QTest::newRow("other site") << QStringLiteral("https://evil.test");
        QTest::newRow("http scheme") << QStringLiteral("http://app.daarion.test");
        QTest::newRow("explicit port") << QStringLiteral("https://app.daarion.test:443");
        QTest::newRow("trailing slash") << QStringLiteral("https://app.daarion.test/");
        QTest::newRow("subdomain") << QStringLiteral("https://x.app.daarion.test");
        QTest::newRow("upper case") << QStringLiteral("https://APP.daarion.test");
        QTest::newRow("empty") << QString();
    }

    void originNotAllowed()
    {
        QFETCH(QString, origin);
        SoftAuthenticator authenticator;
        SoftTweaks tweaks;
        tweaks.clientData = [&](QJsonObject &cd) { cd.insert(QStringLiteral("origin"), origin); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::OriginMismatch);
    }

    void crossOriginWithTopOriginNotAllowed()
    {
        // The control is embedded under an allowed top origin; only the top origin changes.
        SoftAuthenticator authenticator;
        SoftTweaks base;
        base.topOrigin = CeremonyFixture::kTopOrigin;
        SoftTweaks tweaks;
        tweaks.topOrigin = QStringLiteral("https://evil.test");
        expectRegistrationError(authenticator, tweaks, ErrorCode::OriginMismatch, {}, base);
    }

    void crossOriginRefusedWhenNoTopOriginsAllowed()
    {
        SoftAuthenticator authenticator;
        SoftTweaks tweaks;
        tweaks.topOrigin = CeremonyFixture::kTopOrigin;
        expectRegistrationError(authenticator, tweaks, ErrorCode::OriginMismatch,
                                [](Policy &policy) { policy.allowedTopOrigins.clear(); });
    }

    void typeGetAtRegistration()
    {
        SoftAuthenticator authenticator;
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) {
            cd.insert(QStringLiteral("type"), QStringLiteral("webauthn.get"));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::TypeMismatch);
    }

    void rpIdHashOfAnotherRp()
    {
        // Packed self attestation signs after the change: only the hash is wrong.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.authenticatorData = [](QByteArray &ad) { ad.replace(0, 32, sha256("evil.test")); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::RpIdMismatch);
    }

    void userPresenceCleared()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UP;
        expectRegistrationError(authenticator, tweaks, ErrorCode::UserPresenceRequired);
    }

    void userPresenceClearedAcceptedForConditionalCreate()
    {
        // §7.1 step 15: a credential created with mediation "conditional" may
        // come without UP; the signed flags say so and are reported.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        ceremony.policy.requireUserPresence = false;
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UP | softflag::UV;
        auto result = CeremonyFixture::verify(
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks),
            ceremony.policy);
        DAARION_EXPECT_OK(result);
        QCOMPARE(result->flags & softflag::UP, 0);
        // A browser that did ask the person sets UP anyway: also accepted.
        RegistrationCeremony withPresence = CeremonyFixture::registration();
        withPresence.policy.requireUserPresence = false;
        DAARION_EXPECT_OK(CeremonyFixture::verify(
            authenticator.create(withPresence.options, CeremonyFixture::kOrigin),
            withPresence.policy));
    }

    void conditionalCreateKeepsTheOtherFlagRules()
    {
        // Skipping UP skips nothing else: UV under a required policy, BS without BE.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks noUv;
        noUv.clearFlags = softflag::UP | softflag::UV;
        SoftTweaks base;
        base.clearFlags = softflag::UP;
        expectRegistrationError(
            authenticator, noUv, ErrorCode::UserVerificationRequired,
            [](Policy &policy) {
                policy.requireUserPresence = false;
                policy.requireUserVerification = true;
            },
            base);
        SoftTweaks backedUp;
        backedUp.clearFlags = softflag::UP;
        backedUp.setFlags = softflag::BS;
        expectRegistrationError(
            authenticator, backedUp, ErrorCode::BackupFlagsInvalid,
            [](Policy &policy) { policy.requireUserPresence = false; }, base);
    }

    void crossOriginWithoutTopOriginRefusedWhenTopOriginRequired()
    {
        // The control names the allowed top origin; the broken one is a
        // Level 2 client's bare crossOrigin.
        SoftAuthenticator authenticator;
        SoftTweaks base;
        base.topOrigin = CeremonyFixture::kTopOrigin;
        SoftTweaks tweaks;
        tweaks.clientData = [](QJsonObject &cd) { cd.insert(QStringLiteral("crossOrigin"), true); };
        expectRegistrationError(
            authenticator, tweaks, ErrorCode::OriginMismatch,
            [](Policy &policy) { policy.requireTopOrigin = true; }, base);
    }

    void userVerificationClearedUnderRequiredPolicy()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UV;
        expectRegistrationError(authenticator, tweaks, ErrorCode::UserVerificationRequired,
                                [](Policy &policy) { policy.requireUserVerification = true; });
    }

    void userVerificationClearedAcceptedWhenNotRequired()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::UV;
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        auto result = CeremonyFixture::verify(reg, ceremony.policy);
        DAARION_EXPECT_OK(result);
        QCOMPARE(result->userVerified, false);
    }

    void backupStateWithoutBackupEligible()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::BS;
        expectRegistrationError(authenticator, tweaks, ErrorCode::BackupFlagsInvalid);
    }

    void backupFlagsReported()
    {
        SoftAuthenticator::Config config = withFormat(AttestationFormat::PackedSelf);
        config.backupEligible = true;
        config.backupState = true;
        SoftAuthenticator authenticator(config);
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        auto result = CeremonyFixture::verify(
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin), ceremony.policy);
        DAARION_EXPECT_OK(result);
        QVERIFY(result->backupEligible);
        QVERIFY(result->backupState);
    }

    void truncatedAuthenticatorData_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("keep"); // bytes kept; negative: drop that many from the end
        QTest::newRow("none, last byte dropped") << int(AttestationFormat::None) << -1;
        QTest::newRow("packed self, last byte dropped") << int(AttestationFormat::PackedSelf) << -1;
        QTest::newRow("packed self, COSE key half gone")
            << int(AttestationFormat::PackedSelf) << -40;
        QTest::newRow("none, header only") << int(AttestationFormat::None) << 37;
        QTest::newRow("none, inside the credential ID length")
            << int(AttestationFormat::None) << 54;
        QTest::newRow("none, 36 bytes") << int(AttestationFormat::None) << 36;
        QTest::newRow("none, empty") << int(AttestationFormat::None) << 0;
    }

    void truncatedAuthenticatorData()
    {
        QFETCH(int, format);
        QFETCH(int, keep);
        SoftAuthenticator authenticator(withFormat(AttestationFormat(format)));
        SoftTweaks tweaks;
        tweaks.authenticatorData = [&](QByteArray &ad) {
            ad.truncate(keep < 0 ? ad.size() + keep : keep);
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void authenticatorDataWithByteAppended_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("none") << int(AttestationFormat::None);
        QTest::newRow("packed self") << int(AttestationFormat::PackedSelf);
    }

    void authenticatorDataWithByteAppended()
    {
        QFETCH(int, format);
        SoftAuthenticator authenticator(withFormat(AttestationFormat(format)));
        SoftTweaks tweaks;
        tweaks.authenticatorData = [](QByteArray &ad) { ad.append('\0'); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void extensionsFlagWithoutExtensions()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::ED;
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void trailingBytesAfterAttestationObject()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.attestationObjectBytes = [](QByteArray &bytes) { bytes.append('\0'); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void duplicateKeyInAttestationObject_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("fmt") << QStringLiteral("fmt");
        QTest::newRow("attStmt") << QStringLiteral("attStmt");
        QTest::newRow("authData") << QStringLiteral("authData");
    }

    void duplicateKeyInAttestationObject()
    {
        // The duplicate repeats the same value: it is the repetition that is refused.
        QFETCH(QString, key);
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.attestationObject = [&](CborValue &object) {
            object.append(key, *object.find(key));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void duplicateKeyInAttestationStatement()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.attestationObject = [](CborValue &object) {
            CborValue *statement = object.find("attStmt");
            statement->append("alg", *statement->find("alg"));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void duplicateKeyInCoseKey_data()
    {
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<qint64>("label");
        QTest::newRow("ES256 alg") << qint64(softalg::ES256) << qint64(3);
        QTest::newRow("ES256 x") << qint64(softalg::ES256) << qint64(-2);
        QTest::newRow("EdDSA kty") << qint64(softalg::EdDSA) << qint64(1);
        QTest::newRow("RS256 n") << qint64(softalg::RS256) << qint64(-1);
    }

    void duplicateKeyInCoseKey()
    {
        QFETCH(qint64, alg);
        QFETCH(qint64, label);
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf, alg));
        SoftTweaks tweaks;
        tweaks.coseKey = [&](CborValue &key) { key.append(label, *key.find(label)); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void credentialIdLengthLimit()
    {
        // 1023 bytes is the most WebAuthn allows (§7.1 step 26): accepted.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.credentialId = randomBytes(1023);
        auto result = CeremonyFixture::verify(
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks),
            ceremony.policy);
        DAARION_EXPECT_OK(result);
        QCOMPARE(result->credentialId, *tweaks.credentialId);
    }

    void credentialIdOver1023Bytes()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.credentialId = randomBytes(1024);
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void credentialIdOver1023BytesWithoutTheJsonLayer()
    {
        // The same response handed to verifyRegistration directly, so the
        // authenticatorData rule is tested even where the JSON layer has its own bound.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.credentialId = randomBytes(1024);
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        daarion::webauthn::RegistrationResponse response;
        response.id = b64(reg.credential.id());
        response.rawId = reg.credential.id();
        response.type = QStringLiteral("public-key");
        response.clientDataJSON = reg.clientDataJson;
        response.attestationObject = reg.attestationObject;
        DAARION_EXPECT_ERROR(daarion::webauthn::verifyRegistration(response, ceremony.policy),
                             ErrorCode::MalformedCredential);
    }

    void packedSelfAttestationAlgDiffersFromKey_data()
    {
        QTest::addColumn<qint64>("keyAlg");
        QTest::addColumn<qint64>("statementAlg");
        QTest::newRow("ES256 key, RS256 stated")
            << qint64(softalg::ES256) << qint64(softalg::RS256);
        QTest::newRow("ES256 key, ES384 stated")
            << qint64(softalg::ES256) << qint64(softalg::ES384);
        QTest::newRow("EdDSA key, ES256 stated")
            << qint64(softalg::EdDSA) << qint64(softalg::ES256);
        QTest::newRow("RS256 key, PS256 stated") << qint64(softalg::RS256) << qint64(-37);
    }

    void packedSelfAttestationAlgDiffersFromKey()
    {
        QFETCH(qint64, keyAlg);
        QFETCH(qint64, statementAlg);
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf, keyAlg));
        SoftTweaks tweaks;
        tweaks.attestationObject = [&](CborValue &object) {
            object.find("attStmt")->set("alg", statementAlg);
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::AttestationInvalid);
    }

    void packedSelfAttestationSignatureFlipped()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.attestationObject = [](CborValue &object) {
            CborValue *sig = object.find("attStmt")->find("sig");
            QByteArray bytes = sig->toBytes();
            bytes[bytes.size() / 2] = char(bytes.at(bytes.size() / 2) ^ 0x01);
            *sig = bytes;
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::AttestationInvalid);
    }

    void ecKeyOnACurveItsAlgDoesNotName_data()
    {
        QTest::addColumn<qint64>("keyAlg");
        QTest::addColumn<qint64>("claimedAlg");
        QTest::newRow("P-384 key labelled ES256")
            << qint64(softalg::ES384) << qint64(softalg::ES256);
        QTest::newRow("P-256 key labelled ES384")
            << qint64(softalg::ES256) << qint64(softalg::ES384);
        QTest::newRow("P-521 key labelled ES256")
            << qint64(softalg::ES512) << qint64(softalg::ES256);
        QTest::newRow("P-256 key labelled EdDSA")
            << qint64(softalg::ES256) << qint64(softalg::EdDSA);
    }

    void ecKeyOnACurveItsAlgDoesNotName()
    {
        // The control must be a key the RP accepts, so the policy allows every
        // supported algorithm here; only the COSE key's alg label changes.
        QFETCH(qint64, keyAlg);
        QFETCH(qint64, claimedAlg);
        SoftAuthenticator authenticator(withFormat(AttestationFormat::None, keyAlg));
        SoftTweaks base;
        base.algorithm = keyAlg; // whatever pubKeyCredParams offered
        SoftTweaks tweaks = base;
        tweaks.coseKey = [&](CborValue &key) { key.set(3, claimedAlg); };
        expectRegistrationError(
            authenticator, tweaks, ErrorCode::UnsupportedAlgorithm,
            [](Policy &policy) { policy.allowedAlgorithms.clear(); }, base);
    }

    void algNotInAllowedAlgorithms()
    {
        // The RP offered EdDSA only; the control makes EdDSA, the broken run ES256.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf, softalg::EdDSA));
        SoftTweaks tweaks;
        tweaks.algorithm = softalg::ES256;
        expectRegistrationError(
            authenticator, tweaks, ErrorCode::UnsupportedAlgorithm,
            [](Policy &policy) { policy.allowedAlgorithms = {softalg::EdDSA}; });
    }

    void unknownAttestationFormat()
    {
        SoftAuthenticator authenticator(withFormat(AttestationFormat::None));
        SoftTweaks tweaks;
        tweaks.attestationObject = [](CborValue &object) { object.set("fmt", "none2"); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::AttestationInvalid);
    }

    void smuggledSelfSignedRoot_data()
    {
        QTest::addColumn<bool>("impostor"); // the smuggled root copies the configured root's name
        QTest::newRow("unrelated root") << false;
        QTest::newRow("root with the configured root's name") << true;
    }

    void smuggledSelfSignedRoot()
    {
        // The authenticator's leaf is issued by a root it carries in x5c; the
        // RP trusts a different root. The statement verifies, but nothing in
        // x5c may serve as an anchor: untrusted, and refused when trust is required.
        QFETCH(bool, impostor);
        const TestCa configuredRoot = TestCa::createRoot();
        SoftAuthenticator::Config config = withFormat(AttestationFormat::PackedX5c);
        config.attestationCa =
            impostor ? TestCa::createImpostorOf(configuredRoot) : TestCa::createRoot();
        config.extraCertificates = {config.attestationCa.certificateDer()};
        SoftAuthenticator authenticator(config);
        QCOMPARE(authenticator.attestationCertificates().size(), 2);

        daarion::webauthn::TrustAnchors anchors;
        anchors.addRoot(configuredRoot.certificateDer());

        RegistrationCeremony ceremony = CeremonyFixture::registration();
        ceremony.policy.trustAnchors = &anchors;
        auto accepted = CeremonyFixture::verify(
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin), ceremony.policy);
        DAARION_EXPECT_OK(accepted);
        QCOMPARE(accepted->trusted, false);
        QCOMPARE(accepted->fmt, QStringLiteral("packed"));

        RegistrationCeremony strict = CeremonyFixture::registration();
        strict.policy.trustAnchors = &anchors;
        strict.policy.requireTrustedAttestation = true;
        DAARION_EXPECT_ERROR(
            CeremonyFixture::verify(authenticator.create(strict.options, CeremonyFixture::kOrigin),
                                    strict.policy),
            ErrorCode::AttestationInvalid);

        // Control: the same authenticator is trusted once its own root is configured.
        daarion::webauthn::TrustAnchors own;
        own.addRoot(config.attestationCa.certificateDer());
        RegistrationCeremony control = CeremonyFixture::registration();
        control.policy.trustAnchors = &own;
        control.policy.requireTrustedAttestation = true;
        auto trusted = CeremonyFixture::verify(
            authenticator.create(control.options, CeremonyFixture::kOrigin), control.policy);
        DAARION_EXPECT_OK(trusted);
        QCOMPARE(trusted->trusted, true);
    }

    void selfSignedLeafIsNotTrusted()
    {
        // x5c holds one self-signed certificate; the RP has a root configured.
        SoftAuthenticator::Config config = withFormat(AttestationFormat::PackedX5c);
        config.attestationKey = generateSoftKey(softalg::ES256);
        CertificateProfile profile;
        profile.aaguid = QByteArray(16, '\x42');
        config.aaguid = *profile.aaguid;
        config.attestationCertificates = {
            selfSignedCertificate(config.attestationKey.get(), profile)};
        SoftAuthenticator authenticator(config);

        const TestCa configuredRoot = TestCa::createRoot();
        daarion::webauthn::TrustAnchors anchors;
        anchors.addRoot(configuredRoot.certificateDer());
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        ceremony.policy.trustAnchors = &anchors;
        auto accepted = CeremonyFixture::verify(
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin), ceremony.policy);
        DAARION_EXPECT_OK(accepted);
        QCOMPARE(accepted->trusted, false);
    }

    void idNotMatchingTheCredential_data()
    {
        QTest::addColumn<bool>("alsoRawId");
        QTest::newRow("id only") << false;
        QTest::newRow("id and rawId") << true;
    }

    void idNotMatchingTheCredential()
    {
        QFETCH(bool, alsoRawId);
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.responseJson = [&](QJsonObject &json) {
            const QString other = b64(randomBytes(16));
            json.insert(QStringLiteral("id"), other);
            if (alsoRawId)
                json.insert(QStringLiteral("rawId"), other);
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void credentialTypeNotPublicKey()
    {
        SoftAuthenticator authenticator;
        SoftTweaks tweaks;
        tweaks.responseJson = [](QJsonObject &json) {
            json.insert(QStringLiteral("type"), QStringLiteral("password"));
        };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }

    void attestedCredentialDataMissing()
    {
        // AT cleared and the attested credential data cut off, signed after.
        SoftAuthenticator authenticator(withFormat(AttestationFormat::PackedSelf));
        SoftTweaks tweaks;
        tweaks.clearFlags = softflag::AT;
        tweaks.authenticatorData = [](QByteArray &ad) { ad.truncate(37); };
        expectRegistrationError(authenticator, tweaks, ErrorCode::MalformedCredential);
    }
};

QTEST_GUILESS_MAIN(TestRegistrationRules)
#include "tst_registration_rules.moc"
