// Positive round trips through the verifier: every algorithm the soft
// authenticator makes, with every attestation format it speaks, registers and
// then signs in repeatedly, with the counter carried from one sign-in to the
// next as the daemon stores it. Attestation is trusted exactly when its CA is
// a configured root (for that format, or for all).

#include "shared/webauthn/attestation/trust_anchors.h"
#include "tests/support/ceremony_fixture.h"

#include <QTest>

using namespace daarion::testing;
using daarion::webauthn::AttestationType;
using daarion::webauthn::RegisteredCredential;
using daarion::webauthn::TrustAnchors;

Q_DECLARE_METATYPE(AttestationFormat)

namespace
{

AttestationType expectedType(AttestationFormat format)
{
    switch (format) {
    case AttestationFormat::None:
        return AttestationType::None;
    case AttestationFormat::PackedSelf:
        return AttestationType::Self;
    case AttestationFormat::PackedX5c:
    case AttestationFormat::FidoU2f:
        return AttestationType::Basic;
    }
    return AttestationType::None;
}

const char *formatLabel(AttestationFormat format)
{
    switch (format) {
    case AttestationFormat::None:
        return "none";
    case AttestationFormat::PackedSelf:
        return "packed-self";
    case AttestationFormat::PackedX5c:
        return "packed-x5c";
    case AttestationFormat::FidoU2f:
        return "fido-u2f";
    }
    return "?";
}

bool hasCertificates(AttestationFormat format)
{
    return format == AttestationFormat::PackedX5c || format == AttestationFormat::FidoU2f;
}

} // namespace

class TestCeremonyRoundTrips : public QObject
{
    Q_OBJECT

private slots:
    void registerThenSignIn_data()
    {
        QTest::addColumn<qint64>("alg");
        QTest::addColumn<AttestationFormat>("format");
        QTest::addColumn<CounterMode>("counter");
        for (std::int64_t alg :
             {softalg::ES256, softalg::EdDSA, softalg::RS256, softalg::ES384, softalg::ES512}) {
            for (AttestationFormat format :
                 {AttestationFormat::None, AttestationFormat::PackedSelf,
                  AttestationFormat::PackedX5c, AttestationFormat::FidoU2f}) {
                if (format == AttestationFormat::FidoU2f && alg != softalg::ES256)
                    continue; // U2F is P-256 only
                for (CounterMode counter : {CounterMode::Increment, CounterMode::AlwaysZero})
                    QTest::addRow("%s %s %s", qPrintable(softAlgorithmName(alg)),
                                  formatLabel(format),
                                  counter == CounterMode::Increment ? "counting" : "zero-counter")
                        << qint64(alg) << format << counter;
            }
        }
    }

    void registerThenSignIn()
    {
        QFETCH(qint64, alg);
        QFETCH(AttestationFormat, format);
        QFETCH(CounterMode, counter);
        SoftAuthenticator::Config config;
        config.attestation = format;
        config.algorithms = {alg};
        config.counterMode = counter;
        config.backupEligible = true;
        SoftAuthenticator authenticator(config);

        TrustAnchors anchors;
        if (hasCertificates(format))
            anchors.addRoot(authenticator.attestationCa().certificateDer());

        RegistrationCeremony registration = CeremonyFixture::registration();
        registration.policy.allowedAlgorithms.clear(); // ES384/ES512 are not in the daemon's list
        registration.policy.trustAnchors = &anchors;
        registration.policy.requireTrustedAttestation = hasCertificates(format);
        SoftTweaks chosen;
        chosen.algorithm = alg;
        const SoftRegistration reg =
            authenticator.create(registration.options, CeremonyFixture::kOrigin, chosen);
        QVERIFY2(reg.ok(), qPrintable(reg.domError));
        auto registered = CeremonyFixture::verify(reg, registration.policy);
        DAARION_EXPECT_OK(registered);
        RegisteredCredential record = *registered;

        QCOMPARE(record.credentialId, reg.credential.id());
        QCOMPARE(record.alg, alg);
        QCOMPARE(record.publicKeyCose, reg.credential.coseKey());
        QCOMPARE(record.fmt, attestationFormatName(format));
        QCOMPARE(record.attestationType, expectedType(format));
        QCOMPARE(record.trusted, hasCertificates(format));
        QCOMPARE(record.trustPath, hasCertificates(format) ? authenticator.attestationCertificates()
                                                           : QList<QByteArray>());
        QCOMPARE(record.aaguid, format == AttestationFormat::FidoU2f ? QByteArray(16, '\0')
                                                                     : authenticator.aaguid());
        QCOMPARE(record.signCount, 0u);
        QCOMPARE(record.transports, authenticator.config().transports);
        QVERIFY(record.userVerified);
        QVERIFY(record.backupEligible);
        QVERIFY(!record.backupState);

        for (quint32 round = 1; round <= 3; ++round) {
            AssertionCeremony ceremony = CeremonyFixture::assertion(record);
            const SoftAssertion assertion =
                authenticator.get(ceremony.options, CeremonyFixture::kOrigin);
            QVERIFY2(assertion.ok(), qPrintable(assertion.domError));
            auto verdict = CeremonyFixture::verify(assertion, ceremony.policy);
            DAARION_EXPECT_OK(verdict);
            QCOMPARE(verdict->signCount, counter == CounterMode::Increment ? round : 0u);
            QVERIFY(verdict->userVerified);
            QVERIFY(verdict->backupEligible);
            record.signCount = verdict->signCount; // what the daemon stores
        }
    }

    void embeddedInAnAllowedTopOrigin()
    {
        SoftAuthenticator authenticator;
        SoftTweaks embedded;
        embedded.topOrigin = CeremonyFixture::kTopOrigin;
        RegistrationCeremony registration = CeremonyFixture::registration();
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin, embedded),
            registration.policy);
        DAARION_EXPECT_OK(record);
        AssertionCeremony ceremony = CeremonyFixture::assertion(*record);
        DAARION_EXPECT_OK(CeremonyFixture::verify(
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, embedded),
            ceremony.policy));
    }

    void userVerificationRequiredAndGiven()
    {
        SoftAuthenticator authenticator;
        RegistrationCeremony registration = CeremonyFixture::registration();
        registration.policy.requireUserVerification = true;
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin),
            registration.policy);
        DAARION_EXPECT_OK(record);
        AssertionCeremony ceremony = CeremonyFixture::assertion(*record);
        ceremony.policy.requireUserVerification = true;
        DAARION_EXPECT_OK(CeremonyFixture::verify(
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin), ceremony.policy));
    }

    void trustIsPerFormat_data()
    {
        QTest::addColumn<QString>("rootFormat");
        QTest::addColumn<bool>("trusted");
        QTest::newRow("root for every format") << QString() << true;
        QTest::newRow("root for packed") << QStringLiteral("packed") << true;
        QTest::newRow("root for fido-u2f only") << QStringLiteral("fido-u2f") << false;
    }

    void trustIsPerFormat()
    {
        QFETCH(QString, rootFormat);
        QFETCH(bool, trusted);
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat::PackedX5c;
        SoftAuthenticator authenticator(config);
        TrustAnchors anchors;
        anchors.addRoot(authenticator.attestationCa().certificateDer(), rootFormat);
        RegistrationCeremony registration = CeremonyFixture::registration();
        registration.policy.trustAnchors = &anchors;
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin),
            registration.policy);
        DAARION_EXPECT_OK(record);
        QCOMPARE(record->trusted, trusted);
    }

    void trustedRootMayAlsoTravelInX5c()
    {
        // Sending the configured root along in x5c is harmless: still trusted.
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat::PackedX5c;
        config.attestationCa = TestCa::createRoot();
        config.extraCertificates = {config.attestationCa.certificateDer()};
        SoftAuthenticator authenticator(config);
        TrustAnchors anchors;
        anchors.addRoot(config.attestationCa.certificateDer());
        RegistrationCeremony registration = CeremonyFixture::registration();
        registration.policy.trustAnchors = &anchors;
        registration.policy.requireTrustedAttestation = true;
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin),
            registration.policy);
        DAARION_EXPECT_OK(record);
        QVERIFY(record->trusted);
    }

    void untrustedByDefaultWithoutRoots()
    {
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat::FidoU2f;
        SoftAuthenticator authenticator(config);
        RegistrationCeremony registration = CeremonyFixture::registration();
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin),
            registration.policy);
        DAARION_EXPECT_OK(record);
        QCOMPARE(record->trusted, false);
        QCOMPARE(record->attestationType, AttestationType::Basic);
    }
};

QTEST_GUILESS_MAIN(TestCeremonyRoundTrips)
#include "tst_ceremony_round_trips.moc"
