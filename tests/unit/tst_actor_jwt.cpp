// The HS256 JWT of POST /auth/token on its own: round trip, the lifetime
// boundary, and one refusal per way a token can be wrong, each next to a
// control that passes. Signatures are cross-checked with Qt's HMAC.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "shared/identity/jwt.h"
#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QtTest>

using namespace daarion::identity;
using daarion::webauthn::decodeBase64Url;
using daarion::webauthn::encodeBase64Url;

namespace {
const QByteArray kSecret(32, 's');
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

ActorIdentity alice()
{
    ActorIdentity identity;
    identity.actorType = ActorType::Human;
    identity.userId = QStringLiteral("4b1d0000-0000-4000-8000-000000000001");
    identity.actorId = QStringLiteral("user:") + identity.userId;
    identity.username = QStringLiteral("alice");
    identity.displayName = QStringLiteral("Alice");
    identity.memberships = {{QStringLiteral("microdao:7"), QStringLiteral("owner")},
                            {QStringLiteral("microdao:daarion"), QStringLiteral("member")}};
    return identity;
}

QStringList partsOf(const QString &token) { return token.split(QLatin1Char('.')); }

// A token with these header and claims, signed with `secret` (as an attacker
// who knows the format but maybe not the secret would make it).
QString forge(const QByteArray &header, const QJsonObject &claims, const QByteArray &secret)
{
    const QByteArray input = encodeBase64Url(header) + '.' + encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(input + '.' + encodeBase64Url(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256)));
}

QJsonObject claimsOf(const QString &token)
{
    return QJsonDocument::fromJson(*decodeBase64Url(partsOf(token).at(1).toLatin1())).object();
}
} // namespace

class ActorJwt : public QObject
{
    Q_OBJECT

private slots:
    void roundTripKeepsTheIdentity()
    {
        const IssuedJwt issued = issueJwt(alice(), kSecret, kNow);
        const JwtVerdict verdict = verifyJwt(issued.token, kSecret, kNow.addSecs(10));
        QVERIFY(verdict.valid);
        QCOMPARE(verdict.token.identity.actorId, alice().actorId);
        QCOMPARE(verdict.token.identity.username, QStringLiteral("alice"));
        QCOMPARE(verdict.token.identity.roles(), (QStringList{QStringLiteral("microdao_owner"), QStringLiteral("member")}));
        QCOMPARE(verdict.token.identity.microdaoIds(), (QStringList{QStringLiteral("microdao:7"), QStringLiteral("microdao:daarion")}));
        QCOMPARE(verdict.token.expiresAt, kNow.addSecs(300));
        QCOMPARE(verdict.token.jti, issued.jti);
    }

    void claimsAreTheDocumentedOnes()
    {
        const QJsonObject claims = claimsOf(issueJwt(alice(), kSecret, kNow).token);
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), alice().actorId);
        QCOMPARE(claims.value(QStringLiteral("actor_type")).toString(), QStringLiteral("human"));
        QCOMPARE(claims.value(QStringLiteral("roles")).toArray(),
                 QJsonArray::fromStringList({QStringLiteral("microdao_owner"), QStringLiteral("member")}));
        QCOMPARE(claims.value(QStringLiteral("iat")).toInteger(), kNow.toSecsSinceEpoch());
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger(), kNow.toSecsSinceEpoch() + 300);
        QVERIFY(!claims.value(QStringLiteral("jti")).toString().isEmpty());
    }

    void signatureMatchesAnIndependentHmac()
    {
        const QStringList parts = partsOf(issueJwt(alice(), kSecret, kNow).token);
        QCOMPARE(*decodeBase64Url(parts[0].toLatin1()), QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})"));
        QCOMPARE(*decodeBase64Url(parts[2].toLatin1()),
                 QMessageAuthenticationCode::hash((parts[0] + QLatin1Char('.') + parts[1]).toLatin1(), kSecret,
                                                  QCryptographicHash::Sha256));
    }

    void expiresAtExp()
    {
        const QString token = issueJwt(alice(), kSecret, kNow).token;
        QVERIFY(verifyJwt(token, kSecret, kNow.addSecs(299)).valid);
        const JwtVerdict verdict = verifyJwt(token, kSecret, kNow.addSecs(300));
        QVERIFY(!verdict.valid);
        QCOMPARE(verdict.rejection, JwtRejection::Expired);
    }

    void futureIatIsRefused()
    {
        const QString token = issueJwt(alice(), kSecret, kNow.addSecs(120)).token;
        QCOMPARE(verifyJwt(token, kSecret, kNow).rejection, JwtRejection::NotYetValid);
        QVERIFY(verifyJwt(issueJwt(alice(), kSecret, kNow.addSecs(30)).token, kSecret, kNow).valid); // within skew
    }

    void wrongSecretIsABadSignature()
    {
        const QString token = issueJwt(alice(), kSecret, kNow).token;
        QCOMPARE(verifyJwt(token, QByteArray(32, 't'), kNow).rejection, JwtRejection::BadSignature);
    }

    void everyFlippedSignatureByteIsRefused()
    {
        const QStringList parts = partsOf(issueJwt(alice(), kSecret, kNow).token);
        const QByteArray signature = *decodeBase64Url(parts[2].toLatin1());
        for (int i = 0; i < signature.size(); ++i) {
            QByteArray flipped = signature;
            flipped[i] = char(flipped[i] ^ 0x01);
            const QString token = parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.') + QString::fromLatin1(encodeBase64Url(flipped));
            QCOMPARE(verifyJwt(token, kSecret, kNow).rejection, JwtRejection::BadSignature);
        }
        QCOMPARE(verifyJwt(parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.'), kSecret, kNow).rejection,
                 JwtRejection::BadSignature); // signature cut off
    }

    void changedClaimsAreABadSignature()
    {
        const QString token = issueJwt(alice(), kSecret, kNow).token;
        QJsonObject claims = claimsOf(token);
        claims.insert(QStringLiteral("roles"), QJsonArray::fromStringList({QStringLiteral("admin")}));
        const QStringList parts = partsOf(token);
        const QString tampered = parts[0] + QLatin1Char('.') +
                                 QString::fromLatin1(encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact))) +
                                 QLatin1Char('.') + parts[2];
        QCOMPARE(verifyJwt(tampered, kSecret, kNow).rejection, JwtRejection::BadSignature);
    }

    void otherHeadersAreRefusedEvenWhenSigned()
    {
        const QJsonObject claims = claimsOf(issueJwt(alice(), kSecret, kNow).token);
        QVERIFY(verifyJwt(forge(R"({"alg":"HS256","typ":"JWT"})", claims, kSecret), kSecret, kNow).valid); // control
        for (const QByteArray &header : {QByteArrayLiteral(R"({"alg":"none","typ":"JWT"})"),
                                         QByteArrayLiteral(R"({"alg":"HS512","typ":"JWT"})"),
                                         QByteArrayLiteral(R"({"alg":"RS256","typ":"JWT"})"),
                                         QByteArrayLiteral(R"({"typ":"JWT","alg":"HS256"})"),
                                         QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT","kid":"x"})")})
            QCOMPARE(verifyJwt(forge(header, claims, kSecret), kSecret, kNow).rejection, JwtRejection::UnsupportedHeader);
    }

    void malformedTokensAreRefused()
    {
        const QJsonObject claims = claimsOf(issueJwt(alice(), kSecret, kNow).token);
        const QByteArray header(R"({"alg":"HS256","typ":"JWT"})");
        auto without = [&](const char *name) { QJsonObject c = claims; c.remove(QLatin1String(name)); return forge(header, c, kSecret); };
        auto with = [&](const char *name, const QJsonValue &value) { QJsonObject c = claims; c.insert(QLatin1String(name), value); return forge(header, c, kSecret); };
        const QStringList malformed{
            QString(), QStringLiteral("abc"), QStringLiteral("a.b"), QStringLiteral("a.b.c.d"), QStringLiteral("..."),
            QStringLiteral("!!.??.**"),
            QString::fromLatin1(encodeBase64Url(header)) + QStringLiteral(".bm90IGpzb24.") , // claims not JSON (and unsigned)
            QString(kMaxJwtLength + 1, QLatin1Char('a')) + QStringLiteral(".b.c"),
            without("exp"), without("iat"), without("jti"), without("sub"), without("memberships"),
            with("exp", 1.5), with("exp", QStringLiteral("tomorrow")), with("exp", -1),
            with("actor_type", QStringLiteral("robot")), with("sub", QStringLiteral("agent:x")),
            with("memberships", QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("owner")}}}),
            forge("[]", claims, kSecret),
        };
        for (const QString &token : malformed) {
            const JwtVerdict verdict = verifyJwt(token, kSecret, kNow);
            QVERIFY2(!verdict.valid, qPrintable(token.left(120)));
            QVERIFY2(verdict.rejection == JwtRejection::Malformed || verdict.rejection == JwtRejection::BadSignature,
                     qPrintable(jwtRejectionName(verdict.rejection) + QLatin1Char(' ') + token.left(120)));
        }
        // Signed but not well formed are malformed, not merely unsigned.
        QCOMPARE(verifyJwt(without("exp"), kSecret, kNow).rejection, JwtRejection::Malformed);
        QCOMPARE(verifyJwt(with("sub", QStringLiteral("agent:x")), kSecret, kNow).rejection, JwtRejection::Malformed);
    }

    void agentsAndServicesRoundTrip()
    {
        ActorIdentity agent;
        agent.actorType = ActorType::Agent;
        agent.actorId = QStringLiteral("agent:helper");
        agent.memberships = {{QStringLiteral("microdao:7"), QStringLiteral("member")}};
        const JwtVerdict verdict = verifyJwt(issueJwt(agent, kSecret, kNow).token, kSecret, kNow);
        QVERIFY(verdict.valid);
        QCOMPARE(verdict.token.identity.actorType, ActorType::Agent);
        QVERIFY(verdict.token.identity.userId.isEmpty());
        QVERIFY(!claimsOf(issueJwt(agent, kSecret, kNow).token).contains(QStringLiteral("username")));
    }
};

QTEST_GUILESS_MAIN(ActorJwt)
#include "tst_actor_jwt.moc"
