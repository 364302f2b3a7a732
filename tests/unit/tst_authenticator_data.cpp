// authenticatorData parsing (WebAuthn §6.1) with hand-built byte strings, and
// the rpIdHash/flag checks both ceremonies share.
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/ceremony_checks.h"

#include <QElapsedTimer>
#include <QTest>

using namespace daarion::webauthn;

namespace {

// The P-256 generator as a public key: a point certainly on the curve.
const QByteArray kP256X = QByteArray::fromHex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
const QByteArray kP256Y = QByteArray::fromHex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

QByteArray coseKey(int alg = -7)
{
    QByteArray key = QByteArray::fromHex("a501020326200121");
    key[4] = char(alg == -7 ? 0x26 : 0x38); // -7, or one-byte-argument negint for -35 (0x38 0x22)
    if (alg != -7)
        key.insert(5, char(-1 - alg));
    return key + QByteArray::fromHex("5820") + kP256X + QByteArray::fromHex("225820") + kP256Y;
}

const QByteArray kRpIdHash = sha256("example.org");
const QByteArray kAaguid = QByteArray::fromHex("00112233445566778899aabbccddeeff");

QByteArray header(quint8 flags, quint32 signCount = 0x01020304)
{
    QByteArray out = kRpIdHash;
    out.append(char(flags));
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char(signCount >> shift));
    return out;
}

QByteArray attested(const QByteArray &credentialId, const QByteArray &key = coseKey())
{
    QByteArray out = kAaguid;
    out.append(char(credentialId.size() >> 8));
    out.append(char(credentialId.size() & 0xff));
    return out + credentialId + key;
}

constexpr quint8 UP = flag::UserPresent, UV = flag::UserVerified, BE = flag::BackupEligible,
                 BS = flag::BackupState, AT = flag::AttestedCredentialData, ED = flag::ExtensionData;

void expectCode(const QByteArray &raw, ErrorCode code)
{
    auto parsed = parseAuthenticatorData(raw);
    QVERIFY2(!parsed, raw.toHex().constData());
    QCOMPARE(parsed.error().code, code);
}

} // namespace

class TestAuthenticatorData : public QObject
{
    Q_OBJECT

private slots:
    void headerOnly()
    {
        auto parsed = parseAuthenticatorData(header(UP | UV | BE | BS, 0xfffffffe));
        QVERIFY(parsed);
        QCOMPARE(parsed->rpIdHash, kRpIdHash);
        QCOMPARE(parsed->signCount, 0xfffffffeu);
        QVERIFY(parsed->userPresent() && parsed->userVerified() && parsed->backupEligible() && parsed->backupState());
        QVERIFY(!parsed->attestedCredential);
        QVERIFY(parsed->extensions.isEmpty());
        QCOMPARE(parsed->raw.size(), 37);
    }

    void tooShortOrTooLong()
    {
        for (int size : {0, 1, 32, 33, 36})
            expectCode(header(UP).left(size), ErrorCode::MalformedCredential);
        expectCode(header(UP) + '\0', ErrorCode::MalformedCredential);
        // Attested data without the AT flag is trailing garbage.
        expectCode(header(UP) + attested("id"), ErrorCode::MalformedCredential);
    }

    void attestedCredential()
    {
        const QByteArray id(16, '\x42');
        auto parsed = parseAuthenticatorData(header(UP | AT) + attested(id));
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QVERIFY(parsed->attestedCredential);
        QCOMPARE(parsed->attestedCredential->aaguid, kAaguid);
        QCOMPARE(parsed->attestedCredential->credentialId, id);
        QCOMPARE(parsed->attestedCredential->publicKey.encoded, coseKey());
        QCOMPARE(parsed->attestedCredential->publicKey.alg, -7);
    }

    void attestedCredentialCutShortOrTrailing()
    {
        const QByteArray full = header(UP | AT) + attested(QByteArray(16, 'c'));
        expectCode(header(UP | AT), ErrorCode::MalformedCredential);
        for (qsizetype cut : {1, 10, 40, 77})
            expectCode(full.chopped(cut), ErrorCode::MalformedCredential);
        expectCode(full + '\0', ErrorCode::MalformedCredential);
        expectCode(full + QByteArray::fromHex("a0"), ErrorCode::MalformedCredential); // a map, but ED is clear
    }

    void credentialIdLength()
    {
        QVERIFY(parseAuthenticatorData(header(UP | AT) + attested(QByteArray(1023, 'x'))));
        QVERIFY(parseAuthenticatorData(header(UP | AT) + attested(QByteArray(1, 'x'))));
        expectCode(header(UP | AT) + attested(QByteArray(1024, 'x')), ErrorCode::MalformedCredential);
        expectCode(header(UP | AT) + attested(QByteArray()), ErrorCode::MalformedCredential);
        // A length that claims more bytes than follow.
        QByteArray lying = header(UP | AT) + attested(QByteArray(16, 'x'));
        lying[37 + 16] = '\x03'; // length 0x0310 = 784
        expectCode(lying, ErrorCode::MalformedCredential);
    }

    void credentialKeyProblems()
    {
        // A key whose alg does not fit its curve, and one that is not even CBOR.
        expectCode(header(UP | AT) + attested("id", coseKey(-35)), ErrorCode::UnsupportedAlgorithm);
        expectCode(header(UP | AT) + attested("id", QByteArray::fromHex("ff")), ErrorCode::MalformedCredential);
        expectCode(header(UP | AT) + attested("id", QByteArray::fromHex("a1")), ErrorCode::MalformedCredential);
        // A 9-byte header claiming a 2^26-element array where the key should be.
        QElapsedTimer timer;
        timer.start();
        expectCode(header(UP | AT) + attested("id", QByteArray::fromHex("9b0000000004000000")),
                   ErrorCode::MalformedCredential);
        QVERIFY(timer.elapsed() < 100);
        // A duplicate label in the key.
        QByteArray duplicate = coseKey();
        duplicate[0] = char(0xa6);
        expectCode(header(UP | AT) + attested("id", duplicate + QByteArray::fromHex("0102")),
                   ErrorCode::MalformedCredential);
    }

    void extensions()
    {
        const QByteArray map = QByteArray::fromHex("a16b6372656450726f7465637402"); // {"credProtect": 2}
        auto parsed = parseAuthenticatorData(header(UP | ED) + map);
        QVERIFY(parsed);
        QCOMPARE(parsed->extensions, map);
        auto both = parseAuthenticatorData(header(UP | AT | ED) + attested("id") + map);
        QVERIFY(both);
        QCOMPARE(both->extensions, map);
        QVERIFY(both->attestedCredential);
        expectCode(header(UP | ED), ErrorCode::MalformedCredential);                      // ED without data
        expectCode(header(UP | ED) + map + '\0', ErrorCode::MalformedCredential);         // trailing
        expectCode(header(UP | ED) + QByteArray::fromHex("8102"), ErrorCode::MalformedCredential); // not a map
        expectCode(header(UP) + map, ErrorCode::MalformedCredential);                     // data without ED
        expectCode(header(UP | AT) + attested("id") + map, ErrorCode::MalformedCredential);
    }

    void sharedFlagChecks()
    {
        auto check = [](quint8 flags, const QString &rpId, bool requireUv) {
            auto parsed = parseAuthenticatorData(header(flags));
            return checkAuthenticatorData(parsed.value(), rpId, requireUv);
        };
        const QString rp = QStringLiteral("example.org");
        QVERIFY(check(UP, rp, false));
        QVERIFY(check(UP | UV, rp, true));
        QVERIFY(check(UP | BE, rp, false));
        QVERIFY(check(UP | BE | BS, rp, false));
        QCOMPARE(check(UP, QStringLiteral("example.com"), false).error().code, ErrorCode::RpIdMismatch);
        QCOMPARE(check(UP, QString(), false).error().code, ErrorCode::RpIdMismatch);
        QCOMPARE(check(UV, rp, false).error().code, ErrorCode::UserPresenceRequired);
        QCOMPARE(check(UP, rp, true).error().code, ErrorCode::UserVerificationRequired);
        QCOMPARE(check(UP | BS, rp, false).error().code, ErrorCode::BackupFlagsInvalid);

        // Conditional create (§7.1 step 15) skips UP and nothing else.
        auto withoutPresence = [](quint8 flags, const QString &rpId, bool requireUv) {
            auto parsed = parseAuthenticatorData(header(flags));
            return checkAuthenticatorData(parsed.value(), rpId, requireUv,
                                          /*requireUserPresence=*/false);
        };
        QVERIFY(withoutPresence(0, rp, false));
        QVERIFY(withoutPresence(UP, rp, false));
        QCOMPARE(withoutPresence(0, QStringLiteral("example.com"), false).error().code,
                 ErrorCode::RpIdMismatch);
        QCOMPARE(withoutPresence(0, rp, true).error().code, ErrorCode::UserVerificationRequired);
        QCOMPARE(withoutPresence(BS, rp, false).error().code, ErrorCode::BackupFlagsInvalid);
    }
};

QTEST_APPLESS_MAIN(TestAuthenticatorData)
#include "tst_authenticator_data.moc"
