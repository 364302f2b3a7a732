// Attestation trust in verifyRegistration (WebAuthn L3 §7.1 steps 24-25 and
// 29), with the soft authenticator (packed, x5c from a test CA of
// tests/support/test_ca.h):
// - per-model roots: RegistrationPolicy::aaguidTrustAnchors hands roots for
//   one AAGUID only (what FIDO MDS attestationRootCertificates become), used
//   besides the policy's trustAnchors;
// - requireChainWhereRootsGiven: a trust path must chain where roots were
//   given for it, and stays accepted as untrusted where none were;
// - the AAGUID extension (id-fido-gen-ce-aaguid) of the attestation
//   certificate must name authData's AAGUID (§8.2.1).
#include "shared/webauthn/attestation/trust_anchors.h"
#include "tests/support/ceremony_fixture.h"

#include <QTest>

using namespace daarion::testing;
using daarion::webauthn::ErrorCode;
using daarion::webauthn::RegisteredCredential;
using daarion::webauthn::RegistrationPolicy;
using daarion::webauthn::Result;
using daarion::webauthn::TrustAnchors;

namespace
{

const QByteArray kModel = QByteArray::fromHex("d8522d9f575b486688a9ba99fa02f35b");
const QByteArray kOtherModel = QByteArray::fromHex("ee882879721c491397753dfcce97072a");

// A packed authenticator of model `aaguid` whose attestation certificate,
// issued by `ca`, names `certifiedAaguid` in its AAGUID extension.
SoftAuthenticator::Config packedAuthenticator(const TestCa &ca, const QByteArray &aaguid,
                                              const QByteArray &certifiedAaguid)
{
    SoftAuthenticator::Config config;
    config.attestation = AttestationFormat::PackedX5c;
    config.algorithms = {softalg::ES256};
    config.aaguid = aaguid;
    config.attestationCa = ca;
    config.attestationKey = generateSoftKey(softalg::ES256);
    CertificateProfile profile;
    profile.aaguid = certifiedAaguid;
    config.attestationCertificates = {ca.issue(config.attestationKey.get(), profile)};
    return config;
}

SoftAuthenticator::Config packedAuthenticator(const TestCa &ca, const QByteArray &aaguid = kModel)
{
    return packedAuthenticator(ca, aaguid, aaguid);
}

Result<RegisteredCredential> registerWith(SoftAuthenticator &authenticator,
                                          const std::function<void(RegistrationPolicy &)> &edit)
{
    RegistrationCeremony ceremony = CeremonyFixture::registration();
    edit(ceremony.policy);
    return CeremonyFixture::verify(authenticator.create(ceremony.options, CeremonyFixture::kOrigin),
                                   ceremony.policy);
}

TrustAnchors rootsOf(const TestCa &ca, const QString &fmt = {})
{
    TrustAnchors anchors;
    anchors.addRoot(ca.certificateDer(), fmt);
    return anchors;
}

} // namespace

class TestAttestationTrust : public QObject
{
    Q_OBJECT

private slots:
    void modelRootsTrustThatModel()
    {
        const TestCa modelCa = TestCa::createRoot(QStringLiteral("Model Root"));
        SoftAuthenticator authenticator(packedAuthenticator(modelCa));
        const TrustAnchors modelRoots = rootsOf(modelCa);
        QList<QByteArray> asked;
        auto registered = registerWith(authenticator, [&](RegistrationPolicy &policy) {
            policy.aaguidTrustAnchors = [&](const QByteArray &aaguid) -> const TrustAnchors * {
                asked.append(aaguid);
                return aaguid == kModel ? &modelRoots : nullptr;
            };
            policy.requireTrustedAttestation = true;
        });
        DAARION_EXPECT_OK(registered);
        QCOMPARE(registered->trusted, true);
        QCOMPARE(asked, QList<QByteArray>{kModel}); // asked once, with authData's AAGUID
    }

    void modelRootsAreForThatModelOnly()
    {
        // Another model's roots do not make this one trusted, even when they
        // are the very CA that issued its certificate.
        const TestCa sharedCa = TestCa::createRoot(QStringLiteral("Shared Root"));
        SoftAuthenticator authenticator(packedAuthenticator(sharedCa));
        const TrustAnchors otherModelRoots = rootsOf(sharedCa);
        auto lookup = [&](const QByteArray &aaguid) -> const TrustAnchors * {
            return aaguid == kOtherModel ? &otherModelRoots : nullptr;
        };
        auto accepted = registerWith(
            authenticator, [&](RegistrationPolicy &policy) { policy.aaguidTrustAnchors = lookup; });
        DAARION_EXPECT_OK(accepted);
        QCOMPARE(accepted->trusted, false);
        DAARION_EXPECT_ERROR(registerWith(authenticator,
                                          [&](RegistrationPolicy &policy) {
                                              policy.aaguidTrustAnchors = lookup;
                                              policy.requireTrustedAttestation = true;
                                          }),
                             ErrorCode::AttestationInvalid);
    }

    void noModelRootsMeansNone_data()
    {
        QTest::addColumn<int>(
            "hook"); // 0: empty function, 1: returns nullptr, 2: returns empty anchors
        QTest::newRow("empty function") << 0;
        QTest::newRow("nullptr for the AAGUID") << 1;
        QTest::newRow("empty anchors for the AAGUID") << 2;
    }
    void noModelRootsMeansNone()
    {
        QFETCH(int, hook);
        const TestCa ca = TestCa::createRoot();
        SoftAuthenticator authenticator(packedAuthenticator(ca));
        const TrustAnchors empty;
        auto edit = [&](RegistrationPolicy &policy) {
            if (hook == 1)
                policy.aaguidTrustAnchors = [](const QByteArray &) -> const TrustAnchors * {
                    return nullptr;
                };
            if (hook == 2)
                policy.aaguidTrustAnchors = [&](const QByteArray &) { return &empty; };
            policy.requireChainWhereRootsGiven = true; // no roots given: still accepted
        };
        auto accepted = registerWith(authenticator, edit);
        DAARION_EXPECT_OK(accepted);
        QCOMPARE(accepted->trusted, false);
        DAARION_EXPECT_ERROR(registerWith(authenticator,
                                          [&](RegistrationPolicy &policy) {
                                              edit(policy);
                                              policy.requireTrustedAttestation = true;
                                          }),
                             ErrorCode::AttestationInvalid);
    }

    void modelRootsAddToTheConfiguredOnes_data()
    {
        QTest::addColumn<bool>(
            "inModelRoots"); // the issuing CA is among the model's roots, else the configured ones
        QTest::newRow("issuer among the model's roots") << true;
        QTest::newRow("issuer among the configured roots") << false;
    }
    void modelRootsAddToTheConfiguredOnes()
    {
        QFETCH(bool, inModelRoots);
        const TestCa issuer = TestCa::createRoot(QStringLiteral("Issuing Root"));
        const TestCa unrelated = TestCa::createRoot(QStringLiteral("Unrelated Root"));
        SoftAuthenticator authenticator(packedAuthenticator(issuer));
        const TrustAnchors configured = rootsOf(inModelRoots ? unrelated : issuer);
        const TrustAnchors model = rootsOf(inModelRoots ? issuer : unrelated);
        auto registered = registerWith(authenticator, [&](RegistrationPolicy &policy) {
            policy.trustAnchors = &configured;
            policy.aaguidTrustAnchors = [&](const QByteArray &) { return &model; };
            policy.requireChainWhereRootsGiven = true;
            policy.requireTrustedAttestation = true;
        });
        DAARION_EXPECT_OK(registered);
        QCOMPARE(registered->trusted, true);
    }

    void pathMustChainWhereRootsGiven_data()
    {
        QTest::addColumn<QString>("given"); // where the unrelated root is given
        QTest::addColumn<bool>("refused");
        QTest::newRow("configured for every format") << "all" << true;
        QTest::newRow("configured for packed") << "packed" << true;
        QTest::newRow("configured for tpm only") << "tpm" << false;
        QTest::newRow("for this model") << "model" << true;
        QTest::newRow("for another model") << "other-model" << false;
        QTest::newRow("none") << "" << false;
    }
    void pathMustChainWhereRootsGiven()
    {
        QFETCH(QString, given);
        QFETCH(bool, refused);
        const TestCa issuer = TestCa::createRoot(QStringLiteral("Issuing Root"));
        const TestCa unrelated = TestCa::createRoot(QStringLiteral("Unrelated Root"));
        SoftAuthenticator authenticator(packedAuthenticator(issuer));
        const TrustAnchors configured =
            given == QLatin1StringView("all")      ? rootsOf(unrelated)
            : given == QLatin1StringView("packed") ? rootsOf(unrelated, QStringLiteral("packed"))
            : given == QLatin1StringView("tpm")    ? rootsOf(unrelated, QStringLiteral("tpm"))
                                                   : TrustAnchors();
        const TrustAnchors model = rootsOf(unrelated);
        auto edit = [&](RegistrationPolicy &policy) {
            policy.trustAnchors = &configured;
            policy.aaguidTrustAnchors = [&](const QByteArray &aaguid) -> const TrustAnchors * {
                if (given == QLatin1StringView("model"))
                    return aaguid == kModel ? &model : nullptr;
                if (given == QLatin1StringView("other-model"))
                    return aaguid == kOtherModel ? &model : nullptr;
                return nullptr;
            };
        };
        // Without the rule the attestation is accepted as untrusted in every case.
        auto lenient = registerWith(authenticator, edit);
        DAARION_EXPECT_OK(lenient);
        QCOMPARE(lenient->trusted, false);

        auto strict = registerWith(authenticator, [&](RegistrationPolicy &policy) {
            edit(policy);
            policy.requireChainWhereRootsGiven = true;
        });
        if (refused) {
            DAARION_EXPECT_ERROR(strict, ErrorCode::AttestationInvalid);
        } else {
            DAARION_EXPECT_OK(strict);
            QCOMPARE(strict->trusted, false);
        }
    }

    void selfAndNoneAttestationPassWhereRootsGiven_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("packed self") << int(AttestationFormat::PackedSelf);
        QTest::newRow("none") << int(AttestationFormat::None);
    }
    void selfAndNoneAttestationPassWhereRootsGiven()
    {
        QFETCH(int, format);
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat(format);
        SoftAuthenticator authenticator(config);
        const TrustAnchors configured = rootsOf(TestCa::createRoot());
        auto registered = registerWith(authenticator, [&](RegistrationPolicy &policy) {
            policy.trustAnchors = &configured;
            policy.requireChainWhereRootsGiven = true;
        });
        DAARION_EXPECT_OK(registered);
        QCOMPARE(registered->trusted, false);
    }

    void certificateAaguidMustBeAuthDatas()
    {
        const TestCa ca = TestCa::createRoot();
        SoftAuthenticator matching(packedAuthenticator(ca, kModel, kModel));
        DAARION_EXPECT_OK(registerWith(matching, [](RegistrationPolicy &) {}));
        // The certificate says one model, authData another: attestation_invalid,
        // also where the CA is trusted (the certificate vouches for another model).
        SoftAuthenticator mismatched(packedAuthenticator(ca, kModel, kOtherModel));
        const TrustAnchors roots = rootsOf(ca);
        DAARION_EXPECT_ERROR(
            registerWith(mismatched,
                         [&](RegistrationPolicy &policy) { policy.trustAnchors = &roots; }),
            ErrorCode::AttestationInvalid);
    }
};

QTEST_GUILESS_MAIN(TestAttestationTrust)
#include "tst_attestation_trust.moc"
