// The relying party the fuzz targets play (tests/support/vector_relying_party.h)
// must accept what real clients sent, or the fuzzers start from refusals and
// never reach the checks that matter: every W3C vector registers and signs in
// through its JSON, and every attested one chains to the vectors' root,
// except the android-key registration, which §8.4.1 refuses (its key
// description has no origin or purpose; see tst_w3c_vectors).
#include "shared/webauthn/bytes.h"
#include "tests/support/ceremony_fixture.h"
#include "tests/support/vector_relying_party.h"

#include <QTest>

#include <memory>

using namespace daarion::testing;
using namespace daarion::webauthn;

namespace
{

bool refusedBySpec(const W3cVector &vector)
{
    return vector.name == QLatin1StringView("android-key-es256");
}

QByteArray describe(const W3cVector &vector, const QByteArray &verdict)
{
    return vector.name.toUtf8() + ": " + verdict;
}

} // namespace

class TestVectorRelyingParty : public QObject
{
    Q_OBJECT

    std::unique_ptr<VectorRelyingParty> m_party;

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
            const QByteArray verdict = describe(vector, CeremonyFixture::describe(registered));
            if (refusedBySpec(vector)) {
                QVERIFY2(!registered.ok() && registered.error().code == ErrorCode::AttestationInvalid,
                         verdict.constData());
                continue;
            }
            QVERIFY2(registered.ok(), verdict.constData());
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
                QVERIFY2(verdict.ok(), describe(vector, CeremonyFixture::describe(verdict)).constData());
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
            const QByteArray verdict = describe(vector, CeremonyFixture::describe(verified));
            if (refusedBySpec(vector)) {
                QVERIFY2(!verified.ok(), verdict.constData());
                continue;
            }
            QVERIFY2(verified.ok(), verdict.constData());
            const bool rooted =
                vector.json.value(QLatin1StringView("attestation_trust_root_der_b64url")).isString();
            QCOMPARE(verified->trusted, rooted);
        }
    }
};

QTEST_GUILESS_MAIN(TestVectorRelyingParty)
#include "tst_vector_relying_party.moc"
