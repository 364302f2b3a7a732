// Hostile CBOR headers: a few bytes that declare gigantic items. libcbor 0.8
// allocates (and zeroes) whatever a header declares before reading a single
// element, so the verifier must refuse these from the headers alone. Each case
// goes through the verifier's real entry points and is timed, and the process's
// peak resident memory is measured around it (the kernel's high-water mark is
// reset first through /proc/self/clear_refs).

#include "shared/webauthn/authentication.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/registration.h"
#include "tests/support/ceremony_fixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <cbor.h>

#include <functional>

using namespace daarion::testing;
using daarion::webauthn::ErrorCode;
using daarion::webauthn::sha256;

namespace
{

// Generous on a shared 2-core machine: refusing from the header takes
// microseconds, honouring it takes hundreds of milliseconds and 512 MB.
constexpr qint64 kMaxMicroseconds = 100 * 1000;
constexpr qint64 kMaxPeakGrowthKiB = 16 * 1024;

qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0).
bool resetPeak()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

struct Cost {
    qint64 microseconds = 0;
    qint64 peakGrowthKiB = 0;
};

Cost measure(const std::function<void()> &work)
{
    if (!resetPeak())
        qFatal("cannot reset the peak RSS through /proc/self/clear_refs");
    const qint64 before = statusKiB("VmHWM:");
    QElapsedTimer timer;
    timer.start();
    work();
    Cost cost;
    cost.microseconds = timer.nsecsElapsed() / 1000;
    cost.peakGrowthKiB = statusKiB("VmHWM:") - before;
    return cost;
}

// Refused within the time bound and without a large allocation.
#define CHECK_CHEAP(cost)                                                                          \
    do {                                                                                           \
        qInfo("refused in %lld µs, peak RSS +%lld KiB", (cost).microseconds,                       \
              (cost).peakGrowthKiB);                                                               \
        QVERIFY2((cost).microseconds <= kMaxMicroseconds, "too slow");                             \
        QVERIFY2((cost).peakGrowthKiB <= kMaxPeakGrowthKiB, "peak RSS grew too much");             \
    } while (false)

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// 2^26 = 0x04000000 declared with an 8-byte length: 9 bytes in all.
const QByteArray kHugeArray = hex("9b0000000004000000");
const QByteArray kHugeMap = hex("bb0000000004000000");
const QByteArray kHugeBytes = hex("5b0000000004000000");
const QByteArray kHugeText = hex("7b0000000004000000");
const QByteArray kHugeArray32 = hex("9a04000000"); // the same count with a 4-byte length
const QByteArray kMaxArray = hex("9bffffffffffffffff");

} // namespace

class TestCborLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(resetPeak(),
                 "peak RSS cannot be reset here; the memory assertions would mean nothing");
    }

    void measurementSeesAnAllocation()
    {
        // Control for the measurement itself: plain cbor_load on a header
        // declaring 2^22 elements allocates and zeroes 32 MB, and we see it.
        const QByteArray header = hex("9b0000000000400000");
        const Cost cost = measure([&] {
            cbor_load_result result{};
            cbor_item_t *item = cbor_load(reinterpret_cast<cbor_data>(header.constData()),
                                          size_t(header.size()), &result);
            if (item)
                cbor_decref(&item);
        });
        qInfo("raw cbor_load of a 2^22-element header: %lld µs, peak +%lld KiB", cost.microseconds,
              cost.peakGrowthKiB);
        QVERIFY2(cost.peakGrowthKiB >= 24 * 1024,
                 "the RSS measurement did not see a 32 MB allocation");
    }

    void hugeHeaderRejectedByTheDecoder_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("array of 2^26, 8-byte length") << kHugeArray;
        QTest::newRow("array of 2^26, 4-byte length") << kHugeArray32;
        QTest::newRow("map of 2^26 pairs") << kHugeMap;
        QTest::newRow("byte string of 64 MiB") << kHugeBytes;
        QTest::newRow("text string of 64 MiB") << kHugeText;
        QTest::newRow("array of 2^64-1") << kMaxArray;
        QTest::newRow("nested in a map value") << hex("a16166") + kHugeArray;
        QTest::newRow("nested in an array") << hex("8201") + kHugeMap;
    }

    void hugeHeaderRejectedByTheDecoder()
    {
        QFETCH(QByteArray, bytes);
        bool rejected = false;
        ErrorCode code{};
        const Cost cost = measure([&] {
            auto decoded = daarion::webauthn::decodeCbor(bytes);
            rejected = !decoded.ok();
            if (rejected)
                code = decoded.error().code;
        });
        QVERIFY2(rejected, "a header declaring more than the input holds was accepted");
        QCOMPARE(int(code), int(ErrorCode::MalformedCredential));
        CHECK_CHEAP(cost);
    }

    void hugeHeaderAsAttestationObject_data()
    {
        QTest::addColumn<QByteArray>("attestationObject");
        QTest::newRow("the whole object: array of 2^26") << kHugeArray;
        QTest::newRow("the whole object: map of 2^26") << kHugeMap;
        // {"fmt": "none", "attStmt": <huge>, "authData": h''}
        QTest::newRow("attStmt") << hex("a363666d74646e6f6e656761747453746d74") + kHugeMap +
                                        hex("686175746844617461"
                                            "40");
        QTest::newRow("authData length")
            << hex("a363666d74646e6f6e656761747453746d74a06861757468446174615b0000000004000000");
    }

    void hugeHeaderAsAttestationObject()
    {
        QFETCH(QByteArray, attestationObject);
        SoftAuthenticator authenticator;
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.attestationObjectBytes = [&](QByteArray &bytes) { bytes = attestationObject; };
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        QCOMPARE(reg.attestationObject, attestationObject);

        std::optional<daarion::webauthn::Result<daarion::webauthn::RegisteredCredential>> result;
        const Cost cost = measure([&] { result = CeremonyFixture::verify(reg, ceremony.policy); });
        DAARION_EXPECT_ERROR(*result, ErrorCode::MalformedCredential);
        CHECK_CHEAP(cost);
    }

    void hugeHeaderAsCredentialPublicKey()
    {
        // authenticatorData whose COSE key is a 9-byte header declaring a 2^26-pair map.
        SoftAuthenticator::Config config;
        config.attestation = AttestationFormat::PackedSelf;
        SoftAuthenticator authenticator(config);
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.authenticatorData = [](QByteArray &ad) {
            const int idLength = (quint8(ad.at(53)) << 8) | quint8(ad.at(54));
            ad.truncate(55 + idLength);
            ad += kHugeMap;
        };
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        std::optional<daarion::webauthn::Result<daarion::webauthn::RegisteredCredential>> result;
        const Cost cost = measure([&] { result = CeremonyFixture::verify(reg, ceremony.policy); });
        DAARION_EXPECT_ERROR(*result, ErrorCode::MalformedCredential);
        CHECK_CHEAP(cost);
    }

    void hugeHeaderAsAssertionExtensions()
    {
        // An assertion with ED set whose extensions are a 9-byte header, signed validly.
        SoftAuthenticator authenticator;
        RegistrationCeremony registration = CeremonyFixture::registration();
        auto record = CeremonyFixture::verify(
            authenticator.create(registration.options, CeremonyFixture::kOrigin),
            registration.policy);
        DAARION_EXPECT_OK(record);
        AssertionCeremony ceremony = CeremonyFixture::assertion(*record);
        SoftTweaks tweaks;
        tweaks.setFlags = softflag::ED;
        tweaks.authenticatorData = [](QByteArray &ad) { ad += kHugeMap; };
        const SoftAssertion assertion =
            authenticator.get(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        std::optional<daarion::webauthn::Result<daarion::webauthn::AssertionVerdict>> result;
        const Cost cost =
            measure([&] { result = CeremonyFixture::verify(assertion, ceremony.policy); });
        DAARION_EXPECT_ERROR(*result, ErrorCode::MalformedCredential);
        CHECK_CHEAP(cost);
    }

    void deepNestingRejected()
    {
        // 100 000 nested one-element arrays: refused by the depth bound, not by the stack.
        const QByteArray bytes = QByteArray(100000, '\x81') + '\x00';
        const Cost cost = measure([&] {
            auto decoded = daarion::webauthn::decodeCbor(bytes);
            QVERIFY(!decoded.ok());
            QCOMPARE(int(decoded.error().code), int(ErrorCode::MalformedCredential));
        });
        CHECK_CHEAP(cost);
    }

    void indefiniteLengthAttestationObjectRejected()
    {
        // The valid object re-encoded with an indefinite-length outer map.
        SoftAuthenticator authenticator;
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.attestationObjectBytes = [](QByteArray &bytes) {
            QCOMPARE(quint8(bytes.at(0)), quint8(0xa3));
            bytes = '\xbf' + bytes.mid(1) + '\xff';
        };
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        DAARION_EXPECT_ERROR(CeremonyFixture::verify(reg, ceremony.policy),
                             ErrorCode::MalformedCredential);
    }

    void taggedAuthenticatorDataRejected()
    {
        // authData wrapped in tag 24 (encoded CBOR data item): tags do not belong here.
        SoftAuthenticator authenticator;
        RegistrationCeremony ceremony = CeremonyFixture::registration();
        SoftTweaks tweaks;
        tweaks.attestationObjectBytes = [](QByteArray &bytes) {
            const QByteArray key = hex("686175746844617461"); // "authData"
            const qsizetype at = bytes.indexOf(key);
            QVERIFY(at > 0);
            bytes.insert(at + key.size(), hex("d818"));
        };
        const SoftRegistration reg =
            authenticator.create(ceremony.options, CeremonyFixture::kOrigin, tweaks);
        DAARION_EXPECT_ERROR(CeremonyFixture::verify(reg, ceremony.policy),
                             ErrorCode::MalformedCredential);
    }
};

QTEST_GUILESS_MAIN(TestCborLimits)
#include "tst_cbor_limits.moc"
