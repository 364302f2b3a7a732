// clientDataJSON parsing (WebAuthn §5.8.1) and the client-data checks both
// ceremonies share (type, challenge, origin, crossOrigin, topOrigin).
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/ceremony_checks.h"
#include "shared/webauthn/client_data.h"

#include <QTest>

using namespace daarion::webauthn;

namespace {

const QByteArray kChallenge = QByteArray::fromHex("00ff10203040506070809000aabbccddeeff00112233445566778899aabbccdd");

QByteArray clientData(const QByteArray &members)
{
    return "{\"type\":\"webauthn.get\",\"challenge\":\"" + encodeBase64Url(kChallenge) +
           "\",\"origin\":\"https://example.org\"" + members + "}";
}

void expectMalformed(const QByteArray &raw)
{
    auto parsed = parseClientData(raw);
    QVERIFY2(!parsed, raw.left(200).constData());
    QCOMPARE(parsed.error().code, ErrorCode::MalformedCredential);
}

ClientDataExpectation expectation()
{
    return {QLatin1StringView("webauthn.get"), kChallenge, {QStringLiteral("https://example.org")}, {}};
}

// Why the client data is refused, or nothing when it is accepted.
std::optional<ErrorCode> refusal(const QByteArray &raw, const ClientDataExpectation &expected = expectation())
{
    auto parsed = parseClientData(raw);
    if (!parsed)
        return parsed.error().code;
    Check checked = checkClientData(*parsed, expected);
    if (checked)
        return std::nullopt;
    return checked.error().code;
}

constexpr std::optional<ErrorCode> kAccepted = std::nullopt;

} // namespace

class TestClientData : public QObject
{
    Q_OBJECT

private slots:
    void parsesMembers()
    {
        const QByteArray raw = clientData(",\"crossOrigin\":true,\"topOrigin\":\"https://top.example\","
                                          "\"extraData\":{\"nested\":[1,2]},\"other\":null");
        auto parsed = parseClientData(raw);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->raw, raw);
        QCOMPARE(parsed->hash, sha256(raw));
        QCOMPARE(parsed->type, QStringLiteral("webauthn.get"));
        QCOMPARE(parsed->challenge, kChallenge);
        QCOMPARE(parsed->origin, QStringLiteral("https://example.org"));
        QVERIFY(parsed->crossOrigin);
        QCOMPARE(parsed->topOrigin, std::optional<QString>(QStringLiteral("https://top.example")));

        auto plain = parseClientData(clientData(""));
        QVERIFY(plain);
        QVERIFY(!plain->crossOrigin);
        QVERIFY(!plain->topOrigin);
    }

    void sizeIsBoundedBeforeParsing()
    {
        QByteArray atLimit = clientData(",\"pad\":\"\"");
        atLimit.insert(atLimit.size() - 2, QByteArray(kMaxClientDataLength - atLimit.size(), 'a'));
        QCOMPARE(atLimit.size(), kMaxClientDataLength);
        QVERIFY(parseClientData(atLimit));
        QByteArray over = atLimit;
        over.insert(over.size() - 2, 'a');
        expectMalformed(over);
        expectMalformed(QByteArray(100 * 1024 * 1024 / 100, '['));
    }

    void malformed()
    {
        expectMalformed(QByteArray());
        expectMalformed("not json");
        expectMalformed("[1,2]");
        expectMalformed("\"webauthn.get\"");
        expectMalformed(clientData("").chopped(1));
        expectMalformed("{\"challenge\":\"AAAA\",\"origin\":\"https://example.org\"}");          // no type
        expectMalformed("{\"type\":\"webauthn.get\",\"origin\":\"https://example.org\"}");       // no challenge
        expectMalformed("{\"type\":\"webauthn.get\",\"challenge\":\"AAAA\"}");                   // no origin
        expectMalformed("{\"type\":1,\"challenge\":\"AAAA\",\"origin\":\"https://example.org\"}");
        expectMalformed("{\"type\":\"webauthn.get\",\"challenge\":[],\"origin\":\"https://example.org\"}");
        // The challenge must be unpadded base64url.
        expectMalformed("{\"type\":\"webauthn.get\",\"challenge\":\"AAA=\",\"origin\":\"o\"}");
        expectMalformed("{\"type\":\"webauthn.get\",\"challenge\":\"AA+/\",\"origin\":\"o\"}");
        expectMalformed("{\"type\":\"webauthn.get\",\"challenge\":\"A\",\"origin\":\"o\"}");
        // Optional members have types too.
        expectMalformed(clientData(",\"crossOrigin\":\"true\""));
        expectMalformed(clientData(",\"crossOrigin\":1"));
        expectMalformed(clientData(",\"topOrigin\":42"));
    }

    void ceremonyChecks()
    {
        QCOMPARE(refusal(clientData("")), kAccepted);
        ClientDataExpectation create = expectation();
        create.type = QLatin1StringView("webauthn.create");
        QCOMPARE(refusal(clientData(""), create), std::optional(ErrorCode::TypeMismatch));

        ClientDataExpectation otherChallenge = expectation();
        otherChallenge.challenge[0] = '\x01';
        QCOMPARE(refusal(clientData(""), otherChallenge), std::optional(ErrorCode::ChallengeInvalid));
        otherChallenge.challenge = kChallenge.left(31);
        QCOMPARE(refusal(clientData(""), otherChallenge), std::optional(ErrorCode::ChallengeInvalid));
        otherChallenge.challenge.clear(); // no challenge issued: nothing matches
        QCOMPARE(refusal(clientData(""), otherChallenge), std::optional(ErrorCode::ChallengeInvalid));

        ClientDataExpectation otherOrigin = expectation();
        otherOrigin.allowedOrigins = {QStringLiteral("https://example.org:8443"), QStringLiteral("https://EXAMPLE.org")};
        QCOMPARE(refusal(clientData(""), otherOrigin), std::optional(ErrorCode::OriginMismatch));
        otherOrigin.allowedOrigins.append(QStringLiteral("https://example.org"));
        QCOMPARE(refusal(clientData(""), otherOrigin), kAccepted);
    }

    void crossOriginAndTopOrigin()
    {
        const QByteArray framed = clientData(",\"crossOrigin\":true,\"topOrigin\":\"https://top.example\"");
        const QByteArray framedLevel2 = clientData(",\"crossOrigin\":true");
        const QByteArray topWithoutCross = clientData(",\"crossOrigin\":false,\"topOrigin\":\"https://top.example\"");
        // Not expecting to be embedded: every cross-origin response is refused.
        QCOMPARE(refusal(framed), std::optional(ErrorCode::OriginMismatch));
        QCOMPARE(refusal(framedLevel2), std::optional(ErrorCode::OriginMismatch));
        QCOMPARE(refusal(clientData(",\"crossOrigin\":false")), kAccepted);

        ClientDataExpectation embedded = expectation();
        embedded.allowedTopOrigins = {QStringLiteral("https://top.example")};
        QCOMPARE(refusal(framed, embedded), kAccepted);
        QCOMPARE(refusal(framedLevel2, embedded), kAccepted);
        QCOMPARE(refusal(topWithoutCross, embedded), std::optional(ErrorCode::OriginMismatch));
        embedded.allowedTopOrigins = {QStringLiteral("https://elsewhere.example")};
        QCOMPARE(refusal(framed, embedded), std::optional(ErrorCode::OriginMismatch));
    }

    void crossOriginMustNameItsTopOriginWhenRequired()
    {
        // An RP that enforces its list of top origins (the daemon's TOP_ORIGINS)
        // cannot check a Level 2 client's bare crossOrigin: refused.
        ClientDataExpectation strict = expectation();
        strict.allowedTopOrigins = {QStringLiteral("https://top.example")};
        strict.requireTopOrigin = true;
        QCOMPARE(refusal(clientData(",\"crossOrigin\":true"), strict),
                 std::optional(ErrorCode::OriginMismatch));
        QCOMPARE(refusal(clientData(",\"crossOrigin\":true,\"topOrigin\":\"https://top.example\""),
                         strict),
                 kAccepted);
        QCOMPARE(
            refusal(clientData(",\"crossOrigin\":true,\"topOrigin\":\"https://other.example\""),
                    strict),
            std::optional(ErrorCode::OriginMismatch));
        // Not embedded at all: nothing to name.
        QCOMPARE(refusal(clientData(""), strict), kAccepted);
        QCOMPARE(refusal(clientData(",\"crossOrigin\":false"), strict), kAccepted);
    }
};

QTEST_APPLESS_MAIN(TestClientData)
#include "tst_client_data.moc"
