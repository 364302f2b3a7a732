// The relying party the fuzz targets play (tests/support/vector_relying_party.h)
// must accept what real clients sent, or the fuzzers start from refusals and
// never reach the checks that matter: every W3C vector registers and signs in
// through its JSON, every attested vector chains to the vectors' root, and
// the captured TPM statements (fuzz/seeds/captured) verify at its fixed time.
#include "shared/webauthn/bytes.h"
#include "tests/support/ceremony_fixture.h"
#include "tests/support/vector_relying_party.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace daarion::testing;
using namespace daarion::webauthn;

class TestVectorRelyingParty : public QObject
{
    Q_OBJECT

    std::unique_ptr<VectorRelyingParty> m_party;

    QByteArray capturedHashAndObject(const QString &name)
    {
        QFile file(qEnvironmentVariable("DAARION_SOURCE_DIR") +
                   QStringLiteral("/fuzz/seeds/captured/") + name + QStringLiteral(".json"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QJsonObject registration = QJsonDocument::fromJson(file.readAll())
                                             .object()
                                             .value(QLatin1StringView("registration"))
                                             .toObject();
        const auto member = [&](const char *key) {
            return decodeBase64Url(registration.value(QLatin1StringView(key)).toString().toLatin1())
                .value_or(QByteArray());
        };
        return sha256(member("clientDataJSON")) + member("attestationObject");
    }

private slots:
    void initTestCase()
    {
        const QString data = qEnvironmentVariable("DAARION_TEST_DATA");
        QVERIFY2(!data.isEmpty(), "DAARION_TEST_DATA is not set (run through CTest)");
        m_party = std::make_unique<VectorRelyingParty>(data);
        QCOMPARE(m_party->vectors().size(), 15);
    }

    void everyVectorRegistersThroughItsJson()
    {
        for (const W3cVector &vector : m_party->vectors()) {
            const auto registered = m_party->registerResponse(vector.registrationResponseJson());
            QVERIFY2(registered.ok(),
                     qPrintable(vector.name + QStringLiteral(": ") +
                                QString::fromUtf8(CeremonyFixture::describe(registered))));
            QCOMPARE(registered->credentialId, vector.credentialId);
        }
    }

    void everyVectorSignsInThroughItsJson()
    {
        for (const W3cVector &vector : m_party->vectors()) {
            for (const auto &handle :
                 {std::optional<QByteArray>(), std::optional(VectorRelyingParty::kUserHandle)}) {
                const auto verdict =
                    m_party->authenticateResponse(vector.authenticationResponseJson(handle));
                QVERIFY2(verdict.ok(),
                         qPrintable(vector.name + QStringLiteral(": ") +
                                    QString::fromUtf8(CeremonyFixture::describe(verdict))));
            }
            const auto stranger = m_party->authenticateResponse(
                vector.authenticationResponseJson(QByteArrayLiteral("someone else")));
            DAARION_EXPECT_ERROR(stranger, ErrorCode::UnknownCredential);
        }
    }

    void attestedVectorsChainToTheRoot()
    {
        for (const W3cVector &vector : m_party->vectors()) {
            const auto verified = m_party->verifyAttestation(sha256(vector.creationClientData) +
                                                             vector.attestationObject);
            QVERIFY2(verified.ok(),
                     qPrintable(vector.name + QStringLiteral(": ") +
                                QString::fromUtf8(CeremonyFixture::describe(verified))));
            const bool rooted =
                vector.json.value(QLatin1StringView("attestation_trust_root_der_b64url"))
                    .isString();
            QCOMPARE(verified->trusted, rooted);
        }
    }

    void capturedTpmStatementsVerifyAtTheFixedTime_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("Surface Pro 4, RSA") << QStringLiteral("tpm-rs256-surface-pro-4");
        QTest::newRow("ECC public area") << QStringLiteral("tpm-es256-ecc-pubarea");
    }

    void capturedTpmStatementsVerifyAtTheFixedTime()
    {
        QFETCH(QString, name);
        const QByteArray input = capturedHashAndObject(name);
        QVERIFY2(!input.isEmpty(), "DAARION_SOURCE_DIR is not set or the capture is missing");
        const auto verified = m_party->verifyAttestation(input);
        DAARION_EXPECT_OK(verified);
        QCOMPARE(verified->fmt, QStringLiteral("tpm"));
        QVERIFY(!verified->trusted); // Microsoft's TPM roots are not the vectors'
    }
};

QTEST_GUILESS_MAIN(TestVectorRelyingParty)
#include "tst_vector_relying_party.moc"
