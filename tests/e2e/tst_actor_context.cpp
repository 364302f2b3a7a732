// The actor context end to end: the real daemon over real HTTP on a real
// PostgreSQL. People get their microDAO memberships and PDP roles from
// /auth/me, /auth/introspect and the JWT alike; agents and services resolve
// from their API keys; everything dead, foreign or forged is refused.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include "shared/identity/jwt.h"
#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion::testing;
namespace identity = daarion::identity;

namespace {
const QByteArray kJwtSecret = QByteArrayLiteral("test-secret-of-forty-bytes-0123456789abc");

Headers apiKey(const QString &key) { return {{QByteArrayLiteral("X-API-Key"), key.toLatin1()}}; }
Headers bearer(const QString &token) { return {{QByteArrayLiteral("Authorization"), "Bearer " + token.toLatin1()}}; }
Headers withJson(Headers headers)
{
    headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return headers;
}
QJsonArray strings(const QStringList &list) { return QJsonArray::fromStringList(list); }
} // namespace

class ActorContext : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon;
    QString m_serviceKey;      // service:messaging-pep, made with the CLI
    std::unique_ptr<PasskeyUser> m_owner; // owner of microdao:7, member of microdao:daarion
    QString m_ownerName;

    QString base() const { return m_daemon.baseUrl(); }

    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }

    struct CliRun {
        int exitCode = -1;
        QString out;
        QString err;
    };
    CliRun cli(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DATABASE_URL"), m_db.url());
        process.setProcessEnvironment(env);
        process.start(DaemonProcess::binary(), arguments);
        if (!process.waitForFinished(30'000))
            process.kill();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }
    static QString lastLine(const QString &text) { return text.trimmed().split(QLatin1Char('\n')).constLast().trimmed(); }

    std::unique_ptr<PasskeyUser> signedUp(const QString &prefix, QString *name)
    {
        static int counter = 0;
        auto user = std::make_unique<PasskeyUser>(base());
        *name = prefix + QString::number(++counter);
        const HttpResponse response = user->signUp(*name);
        if (response.status != 200)
            qWarning() << "sign-up of" << *name << "failed:" << response.describe();
        user->http().clearCookies();
        return user;
    }

    HttpResponse putMembership(const QString &microdao, const QString &user, const QString &role,
                               const Headers &headers)
    {
        HttpClient http(base());
        return http.request("PUT", QStringLiteral("/internal/memberships/%1/%2").arg(microdao, user),
                            QJsonDocument(QJsonObject{{QStringLiteral("role"), role}}).toJson(), withJson(headers));
    }
    HttpResponse introspect(const QString &token, const Headers &headers)
    {
        HttpClient http(base());
        return http.post(QStringLiteral("/auth/introspect"), QJsonObject{{QStringLiteral("token"), token}}, headers);
    }
    HttpResponse me(const Headers &headers)
    {
        HttpClient http(base());
        return http.get(QStringLiteral("/auth/me"), headers);
    }
    QString agentKeyOf(PasskeyUser &owner, const QString &name, const QString &microdao)
    {
        const HttpResponse created = owner.post(QStringLiteral("/auth/api-keys"),
                                                {{QStringLiteral("name"), name}, {QStringLiteral("microdao_id"), microdao}});
        if (created.status != 201)
            qWarning() << "key creation failed:" << created.describe();
        return created.json().value(QStringLiteral("api_key")).toString();
    }

    // The claims of a JWT after checking its HS256 signature with Qt's own
    // HMAC (independent of the daemon's OpenSSL code).
    static QJsonObject checkedClaims(const QString &jwt)
    {
        const QStringList parts = jwt.split(QLatin1Char('.'));
        if (parts.size() != 3)
            return {};
        const QByteArray expected = QMessageAuthenticationCode::hash(
            (parts[0] + QLatin1Char('.') + parts[1]).toLatin1(), kJwtSecret, QCryptographicHash::Sha256);
        const auto signature = daarion::webauthn::decodeBase64Url(parts[2].toLatin1());
        if (!signature || *signature != expected)
            return {};
        const auto header = daarion::webauthn::decodeBase64Url(parts[0].toLatin1());
        if (!header || QJsonDocument::fromJson(*header).object().value(QStringLiteral("alg")).toString() !=
                           QLatin1String("HS256"))
            return {};
        return QJsonDocument::fromJson(*daarion::webauthn::decodeBase64Url(parts[1].toLatin1())).object();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")},
                                             {QStringLiteral("JWT_SECRET"), QString::fromLatin1(kJwtSecret)}}),
                 qPrintable(m_daemon.failure()));
        const CliRun made = cli({QStringLiteral("apikey"), QStringLiteral("create"), QStringLiteral("--actor-type"),
                                 QStringLiteral("service"), QStringLiteral("--name"), QStringLiteral("messaging-pep")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        m_serviceKey = lastLine(made.out);
        QVERIFY2(m_serviceKey.startsWith(QStringLiteral("dk_")), qPrintable(made.out));

        m_owner = signedUp(QStringLiteral("owner"), &m_ownerName);
        QVERIFY(!m_owner->token.isEmpty());
        // microdao:7 through the microDAO service's endpoint, microdao:daarion by an operator.
        const HttpResponse granted =
            putMembership(QStringLiteral("microdao:7"), m_ownerName, QStringLiteral("owner"), apiKey(m_serviceKey));
        QVERIFY2(granted.status == 200, qPrintable(granted.describe()));
        const CliRun member = cli({QStringLiteral("membership"), QStringLiteral("grant"), QStringLiteral("--username"),
                                   m_ownerName, QStringLiteral("--microdao"), QStringLiteral("microdao:daarion"),
                                   QStringLiteral("--role"), QStringLiteral("member")});
        QVERIFY2(member.exitCode == 0, qPrintable(member.err));
    }

    void personGetsExactlyTheirMembershipsEverywhere()
    {
        const QJsonArray expectedIds = strings({QStringLiteral("microdao:7"), QStringLiteral("microdao:daarion")});
        const QJsonArray expectedRoles = strings({QStringLiteral("microdao_owner"), QStringLiteral("member")});
        const QJsonArray expectedMemberships{
            QJsonObject{{QStringLiteral("microdao_id"), QStringLiteral("microdao:7")}, {QStringLiteral("role"), QStringLiteral("owner")}},
            QJsonObject{{QStringLiteral("microdao_id"), QStringLiteral("microdao:daarion")}, {QStringLiteral("role"), QStringLiteral("member")}}};

        const HttpResponse self = m_owner->get(QStringLiteral("/auth/me"));
        QVERIFY2(self.status == 200, qPrintable(self.describe()));
        const QJsonObject actor = self.json();
        QCOMPARE(actor.value(QStringLiteral("actor_type")).toString(), QStringLiteral("human"));
        QCOMPARE(actor.value(QStringLiteral("username")).toString(), m_ownerName);
        QCOMPARE(actor.value(QStringLiteral("actor_id")).toString(),
                 QStringLiteral("user:") + actor.value(QStringLiteral("user_id")).toString());
        QCOMPARE(actor.value(QStringLiteral("microdao_ids")).toArray(), expectedIds);
        QCOMPARE(actor.value(QStringLiteral("roles")).toArray(), expectedRoles);
        QCOMPARE(actor.value(QStringLiteral("memberships")).toArray(), expectedMemberships);

        // The PEP's view: the same actor, and when the session ends at the latest.
        const HttpResponse looked = introspect(m_owner->token, apiKey(m_serviceKey));
        QVERIFY2(looked.status == 200, qPrintable(looked.describe()));
        QCOMPARE(looked.json().value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(looked.json().value(QStringLiteral("actor")).toObject(), actor);
        const QDateTime exp = QDateTime::fromString(looked.json().value(QStringLiteral("exp")).toString(), Qt::ISODate);
        QVERIFY(exp > QDateTime::currentDateTimeUtc().addDays(29));

        // The JWT: signed with the secret, the same claims, five minutes.
        const HttpResponse token = m_owner->post(QStringLiteral("/auth/token"));
        QVERIFY2(token.status == 200, qPrintable(token.describe()));
        QCOMPARE(token.json().value(QStringLiteral("expires_in")).toInt(), 300);
        const QString jwt = token.json().value(QStringLiteral("token")).toString();
        const QJsonObject claims = checkedClaims(jwt);
        QVERIFY2(!claims.isEmpty(), qPrintable(jwt));
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), actor.value(QStringLiteral("actor_id")).toString());
        QCOMPARE(claims.value(QStringLiteral("actor_type")).toString(), QStringLiteral("human"));
        QCOMPARE(claims.value(QStringLiteral("microdao_ids")).toArray(), expectedIds);
        QCOMPARE(claims.value(QStringLiteral("roles")).toArray(), expectedRoles);
        QCOMPARE(claims.value(QStringLiteral("memberships")).toArray(), expectedMemberships);
        const qint64 iat = claims.value(QStringLiteral("iat")).toInteger();
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger() - iat, qint64(300));
        QVERIFY(qAbs(iat - QDateTime::currentSecsSinceEpoch()) < 30);
        QVERIFY(!QUuid::fromString(claims.value(QStringLiteral("jti")).toString()).isNull());
        // A second token is another token.
        const QString again = m_owner->post(QStringLiteral("/auth/token")).json().value(QStringLiteral("token")).toString();
        QVERIFY(checkedClaims(again).value(QStringLiteral("jti")) != claims.value(QStringLiteral("jti")));

        // Introspecting the JWT gives the same actor back.
        const HttpResponse viaJwt = introspect(jwt, apiKey(m_serviceKey));
        QCOMPARE(viaJwt.json().value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(viaJwt.json().value(QStringLiteral("actor")).toObject(), actor);
    }

    void agentKeyResolvesToItsAgent()
    {
        const QString key = agentKeyOf(*m_owner, QStringLiteral("helper"), QStringLiteral("microdao:7"));
        QVERIFY(key.startsWith(QStringLiteral("dk_")));
        const HttpResponse agent = me(apiKey(key));
        QVERIFY2(agent.status == 200, qPrintable(agent.describe()));
        const QJsonObject actor = agent.json();
        QCOMPARE(actor.value(QStringLiteral("actor_id")).toString(),
                 QStringLiteral("agent:7/helper"));
        QCOMPARE(actor.value(QStringLiteral("actor_type")).toString(), QStringLiteral("agent"));
        QVERIFY(actor.value(QStringLiteral("user_id")).isNull());
        QVERIFY(actor.value(QStringLiteral("username")).isNull());
        QCOMPARE(actor.value(QStringLiteral("microdao_ids")).toArray(), strings({QStringLiteral("microdao:7")}));
        // An agent acts as a member of its microDAO, never with its creator's rank.
        QCOMPARE(actor.value(QStringLiteral("roles")).toArray(), strings({QStringLiteral("member")}));

        const HttpResponse looked = introspect(key, apiKey(m_serviceKey));
        QCOMPARE(looked.json().value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(looked.json().value(QStringLiteral("actor")).toObject(), actor);
        // A person's key expires: API_KEY_TTL, 90 days by default.
        const QDateTime exp = QDateTime::fromString(
            looked.json().value(QStringLiteral("exp")).toString(), Qt::ISODate);
        QVERIFY(exp > QDateTime::currentDateTimeUtc().addDays(89) &&
                exp < QDateTime::currentDateTimeUtc().addDays(91));

        HttpClient http(base());
        const HttpResponse token = http.post(QStringLiteral("/auth/token"), {}, apiKey(key));
        QVERIFY2(token.status == 200, qPrintable(token.describe()));
        const QJsonObject claims = checkedClaims(token.json().value(QStringLiteral("token")).toString());
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QStringLiteral("agent:7/helper"));
        QCOMPARE(claims.value(QStringLiteral("actor_type")).toString(), QStringLiteral("agent"));
        QCOMPARE(claims.value(QStringLiteral("roles")).toArray(), strings({QStringLiteral("member")}));

        // The list shows it without its secret; the database holds only the hash.
        const HttpResponse listed = m_owner->get(QStringLiteral("/auth/api-keys"));
        QVERIFY2(listed.status == 200, qPrintable(listed.describe()));
        QVERIFY(!listed.body.contains(key.toLatin1()));
        QVERIFY(listed.body.contains("agent:7/helper"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM api_keys WHERE key_hash = sha256(?::text::bytea)"), {key}),
                 QStringLiteral("1"));
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT count(*) FROM auth_events WHERE event = 'api_key_created'"
                     " AND details->>'actor' = 'agent:7/helper' AND actor LIKE 'user:%'")),
                 QStringLiteral("1"));
    }

    void serviceKeyIsAServiceWithoutMemberships()
    {
        const HttpResponse service = me(apiKey(m_serviceKey));
        QVERIFY2(service.status == 200, qPrintable(service.describe()));
        QCOMPARE(service.json().value(QStringLiteral("actor_id")).toString(), QStringLiteral("service:messaging-pep"));
        QCOMPARE(service.json().value(QStringLiteral("actor_type")).toString(), QStringLiteral("service"));
        QCOMPARE(service.json().value(QStringLiteral("roles")).toArray(), QJsonArray());
        QCOMPARE(service.json().value(QStringLiteral("memberships")).toArray(), QJsonArray());
    }

    void revokedKeyIsRefused()
    {
        const QString key = agentKeyOf(*m_owner, QStringLiteral("shortlived"), QStringLiteral("microdao:7"));
        QCOMPARE(me(apiKey(key)).status, 200);
        const QString id = scalar(QStringLiteral("SELECT id FROM api_keys WHERE key_hash = sha256(?::text::bytea)"), {key});
        const HttpResponse revoked = m_owner->del(QStringLiteral("/auth/api-keys/") + id);
        QVERIFY2(revoked.status == 204, qPrintable(revoked.describe()));
        const HttpResponse refused = me(apiKey(key));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("unauthenticated"));
        HttpClient http(base());
        QCOMPARE(http.post(QStringLiteral("/auth/token"), {}, apiKey(key)).status, 401);
        QCOMPARE(introspect(key, apiKey(m_serviceKey)).json(), (QJsonObject{{QStringLiteral("active"), false}}));
        QCOMPARE(m_owner->del(QStringLiteral("/auth/api-keys/") + id).status, 404); // already revoked
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'api_key_revoked'"
                                       " AND details->>'api_key_id' = ?"), {id}),
                 QStringLiteral("1"));
        // An expired key is as dead as a revoked one.
        const QString old = agentKeyOf(*m_owner, QStringLiteral("expired"), QStringLiteral("microdao:7"));
        QCOMPARE(m_db.exec(QStringLiteral("UPDATE api_keys SET expires_at = now() - interval '1 second'"
                                          " WHERE actor_name = 'expired'")),
                 QString());
        QCOMPARE(me(apiKey(old)).status, 401);
    }

    void keyOfAnotherMicrodaoIsNotTheirs()
    {
        QString otherName;
        auto other = signedUp(QStringLiteral("other"), &otherName);
        QCOMPARE(putMembership(QStringLiteral("microdao:8"), otherName, QStringLiteral("owner"), apiKey(m_serviceKey)).status, 200);
        const QString foreignKey = agentKeyOf(*other, QStringLiteral("foreign"), QStringLiteral("microdao:8"));
        QVERIFY(!foreignKey.isEmpty());
        const QString foreignId =
            scalar(QStringLiteral("SELECT id FROM api_keys WHERE key_hash = sha256(?::text::bytea)"), {foreignKey});

        // The owner of microdao:7 cannot make, see or revoke keys of microdao:8.
        const HttpResponse made = m_owner->post(QStringLiteral("/auth/api-keys"),
                                                {{QStringLiteral("name"), QStringLiteral("intruder")},
                                                 {QStringLiteral("microdao_id"), QStringLiteral("microdao:8")}});
        QCOMPARE(made.status, 403);
        QCOMPARE(made.errorCode(), QStringLiteral("forbidden"));
        QCOMPARE(m_owner->get(QStringLiteral("/auth/api-keys?microdao_id=microdao:8")).errorCode(), QStringLiteral("forbidden"));
        QVERIFY(!m_owner->get(QStringLiteral("/auth/api-keys")).body.contains(foreignId.toLatin1()));
        const HttpResponse revoke = m_owner->del(QStringLiteral("/auth/api-keys/") + foreignId);
        QCOMPARE(revoke.status, 404);
        QCOMPARE(revoke.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(me(apiKey(foreignKey)).status, 200); // still alive
        // Its agent belongs to microdao:8 only.
        QCOMPARE(me(apiKey(foreignKey)).json().value(QStringLiteral("microdao_ids")).toArray(),
                 strings({QStringLiteral("microdao:8")}));

        // A plain member may not make keys; nobody makes service keys over HTTP.
        const HttpResponse member = m_owner->post(QStringLiteral("/auth/api-keys"),
                                                  {{QStringLiteral("name"), QStringLiteral("sneaky")},
                                                   {QStringLiteral("microdao_id"), QStringLiteral("microdao:daarion")}});
        QCOMPARE(member.status, 403);
        const HttpResponse service = m_owner->post(QStringLiteral("/auth/api-keys"),
                                                   {{QStringLiteral("name"), QStringLiteral("svc")},
                                                    {QStringLiteral("actor_type"), QStringLiteral("service")},
                                                    {QStringLiteral("microdao_id"), QStringLiteral("microdao:7")}});
        QCOMPARE(service.status, 403);
        // An agent cannot mint agents.
        HttpClient http(base());
        const HttpResponse byAgent = http.post(QStringLiteral("/auth/api-keys"),
                                               {{QStringLiteral("name"), QStringLiteral("child")},
                                                {QStringLiteral("microdao_id"), QStringLiteral("microdao:8")}},
                                               apiKey(foreignKey));
        QCOMPARE(byAgent.status, 403);
        const HttpResponse badName = other->post(QStringLiteral("/auth/api-keys"),
                                                 {{QStringLiteral("name"), QStringLiteral("no spaces")},
                                                  {QStringLiteral("microdao_id"), QStringLiteral("microdao:8")}});
        QCOMPARE(badName.status, 400);
        QCOMPARE(badName.errorCode(), QStringLiteral("invalid_request"));
    }

    void onlyServicesMayIntrospect()
    {
        const HttpResponse nobody = introspect(m_owner->token, {});
        QCOMPARE(nobody.status, 401);
        QCOMPARE(nobody.errorCode(), QStringLiteral("unauthenticated"));
        const HttpResponse person = introspect(m_owner->token, bearer(m_owner->token));
        QCOMPARE(person.status, 403);
        QCOMPARE(person.errorCode(), QStringLiteral("forbidden"));
        const QString agent = agentKeyOf(*m_owner, QStringLiteral("nosy"), QStringLiteral("microdao:7"));
        const HttpResponse byAgent = introspect(m_owner->token, apiKey(agent));
        QCOMPARE(byAgent.status, 403);
        QCOMPARE(byAgent.errorCode(), QStringLiteral("forbidden"));
        const HttpResponse badKey = introspect(m_owner->token, apiKey(QStringLiteral("dk_not-a-key")));
        QCOMPARE(badKey.status, 401);
    }

    void deadTokensAreInactiveNotErrors()
    {
        const QJsonObject inactive{{QStringLiteral("active"), false}};
        QString name;
        auto leaving = signedUp(QStringLiteral("leaving"), &name);
        const QString token = leaving->token;
        QCOMPARE(introspect(token, apiKey(m_serviceKey)).json().value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(leaving->post(QStringLiteral("/auth/logout")).status, 204);
        for (const QString &dead : {token, QStringLiteral("unknown-token"), QStringLiteral("dk_unknown"),
                                    QStringLiteral("a.b.c"), QString(5000, QLatin1Char('x')), QString()}) {
            const HttpResponse looked = introspect(dead, apiKey(m_serviceKey));
            QVERIFY2(looked.status == 200, qPrintable(looked.describe()));
            QCOMPARE(looked.json(), inactive);
        }
        const HttpResponse noToken = HttpClient(base()).post(QStringLiteral("/auth/introspect"), {}, apiKey(m_serviceKey));
        QCOMPARE(noToken.status, 400);
        // A disabled person's live session is dead too.
        QString disabledName;
        auto disabled = signedUp(QStringLiteral("disabled"), &disabledName);
        QCOMPARE(m_db.exec(QStringLiteral("UPDATE users SET disabled_at = now() WHERE username = '%1'").arg(disabledName)),
                 QString());
        QCOMPARE(introspect(disabled->token, apiKey(m_serviceKey)).json(), inactive);
        QCOMPARE(disabled->get(QStringLiteral("/auth/me")).status, 401);
    }

    void expiredAndTamperedJwtsAreRefused()
    {
        const QJsonObject inactive{{QStringLiteral("active"), false}};
        const QJsonObject actor = m_owner->get(QStringLiteral("/auth/me")).json();
        identity::ActorIdentity who;
        who.actorId = actor.value(QStringLiteral("actor_id")).toString();
        who.userId = actor.value(QStringLiteral("user_id")).toString();
        who.username = m_ownerName;
        who.memberships = {{QStringLiteral("microdao:7"), QStringLiteral("owner")}};

        // Expired: issued with the daemon's own secret ten minutes ago.
        const auto expired = identity::issueJwt(who, kJwtSecret, QDateTime::currentDateTimeUtc().addSecs(-600));
        QCOMPARE(identity::verifyJwt(expired.token, kJwtSecret, QDateTime::currentDateTimeUtc()).rejection,
                 identity::JwtRejection::Expired);
        QCOMPARE(introspect(expired.token, apiKey(m_serviceKey)).json(), inactive);
        // A live one made the same way is accepted: the refusal above is the clock's.
        const auto live = identity::issueJwt(who, kJwtSecret, QDateTime::currentDateTimeUtc());
        QCOMPARE(introspect(live.token, apiKey(m_serviceKey)).json().value(QStringLiteral("active")).toBool(), true);

        // Tampered: claims rewritten to make the person an owner of microdao:8, signature kept.
        const QString issued = m_owner->post(QStringLiteral("/auth/token")).json().value(QStringLiteral("token")).toString();
        QStringList parts = issued.split(QLatin1Char('.'));
        QJsonObject claims = QJsonDocument::fromJson(*daarion::webauthn::decodeBase64Url(parts[1].toLatin1())).object();
        claims.insert(QStringLiteral("microdao_ids"), strings({QStringLiteral("microdao:8")}));
        claims.insert(QStringLiteral("memberships"),
                      QJsonArray{QJsonObject{{QStringLiteral("microdao_id"), QStringLiteral("microdao:8")},
                                             {QStringLiteral("role"), QStringLiteral("owner")}}});
        const QString tampered = parts[0] + QLatin1Char('.') +
                                 QString::fromLatin1(daarion::webauthn::encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact))) +
                                 QLatin1Char('.') + parts[2];
        QCOMPARE(identity::verifyJwt(tampered, kJwtSecret, QDateTime::currentDateTimeUtc()).rejection,
                 identity::JwtRejection::BadSignature);
        QCOMPARE(introspect(tampered, apiKey(m_serviceKey)).json(), inactive);
        // alg "none" with the signature dropped.
        const QString none = QString::fromLatin1(daarion::webauthn::encodeBase64Url(R"({"alg":"none","typ":"JWT"})")) +
                             QLatin1Char('.') + parts[1] + QLatin1Char('.');
        QCOMPARE(introspect(none, apiKey(m_serviceKey)).json(), inactive);
        // Signed with another secret.
        const auto foreign = identity::issueJwt(who, QByteArray(40, 'z'), QDateTime::currentDateTimeUtc());
        QCOMPARE(introspect(foreign.token, apiKey(m_serviceKey)).json(), inactive);
        // The untouched token still introspects: the refusals are the tampering's.
        QCOMPARE(introspect(issued, apiKey(m_serviceKey)).json().value(QStringLiteral("active")).toBool(), true);

        // A JWT is not a credential of this service: it cannot renew itself.
        HttpClient http(base());
        const HttpResponse renewed = http.post(QStringLiteral("/auth/token"), {}, bearer(issued));
        QCOMPARE(renewed.status, 401);
        QCOMPARE(renewed.errorCode(), QStringLiteral("invalid_session"));
        QCOMPARE(me(bearer(tampered)).status, 401);
    }

    void membershipsAreWrittenByServicesOnly()
    {
        QString name;
        auto person = signedUp(QStringLiteral("joiner"), &name);
        const QString agent = agentKeyOf(*m_owner, QStringLiteral("climber"), QStringLiteral("microdao:7"));
        const HttpResponse byAgent = putMembership(QStringLiteral("microdao:9"), name, QStringLiteral("owner"), apiKey(agent));
        QCOMPARE(byAgent.status, 403);
        QCOMPARE(byAgent.errorCode(), QStringLiteral("forbidden"));
        QCOMPARE(putMembership(QStringLiteral("microdao:9"), name, QStringLiteral("owner"), bearer(m_owner->token)).status, 403);
        const HttpResponse nobody = putMembership(QStringLiteral("microdao:9"), name, QStringLiteral("owner"), {});
        QCOMPARE(nobody.status, 401);
        QCOMPARE(nobody.errorCode(), QStringLiteral("unauthenticated"));
        QCOMPARE(person->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("memberships")).toArray(), QJsonArray());

        const HttpResponse granted = putMembership(QStringLiteral("microdao:9"), name, QStringLiteral("admin"), apiKey(m_serviceKey));
        QVERIFY2(granted.status == 200, qPrintable(granted.describe()));
        QCOMPARE(granted.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(person->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("roles")).toArray(),
                 strings({QStringLiteral("admin")}));
        // Changing the role by user id.
        const QString userId = person->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("user_id")).toString();
        QCOMPARE(putMembership(QStringLiteral("microdao:9"), userId, QStringLiteral("owner"), apiKey(m_serviceKey)).status, 200);
        QCOMPARE(person->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("roles")).toArray(),
                 strings({QStringLiteral("microdao_owner")}));
        const HttpResponse members = HttpClient(base()).get(QStringLiteral("/internal/memberships/microdao:9"), apiKey(m_serviceKey));
        QCOMPARE(members.status, 200);
        QCOMPARE(members.json().value(QStringLiteral("memberships")).toArray().size(), qsizetype(1));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'membership_granted'"
                                       " AND actor = 'service:messaging-pep' AND user_id = ?::uuid"), {userId}),
                 QStringLiteral("2"));

        QCOMPARE(putMembership(QStringLiteral("microdao:9"), name, QStringLiteral("king"), apiKey(m_serviceKey)).status, 400);
        QCOMPARE(putMembership(QStringLiteral("not-a-microdao"), name, QStringLiteral("member"), apiKey(m_serviceKey)).status, 400);
        QCOMPARE(putMembership(QStringLiteral("microdao:9"), QStringLiteral("nobody-here"), QStringLiteral("member"),
                               apiKey(m_serviceKey)).errorCode(),
                 QStringLiteral("not_found"));

        HttpClient http(base());
        const QString path = QStringLiteral("/internal/memberships/microdao:9/") + name;
        QCOMPARE(http.del(path, apiKey(agent)).status, 403);
        QCOMPARE(http.del(path, apiKey(m_serviceKey)).status, 204);
        QCOMPARE(http.del(path, apiKey(m_serviceKey)).status, 404);
        QCOMPARE(person->get(QStringLiteral("/auth/me")).json().value(QStringLiteral("memberships")).toArray(), QJsonArray());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'membership_revoked'"
                                       " AND actor = 'service:messaging-pep' AND user_id = ?::uuid"), {userId}),
                 QStringLiteral("1"));
    }

    void tokensAreOffWithoutASecret()
    {
        DaemonProcess plain;
        QVERIFY2(plain.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}}), qPrintable(plain.failure()));
        HttpClient http(plain.baseUrl());
        const HttpResponse token = http.post(QStringLiteral("/auth/token"), {}, bearer(m_owner->token));
        QCOMPARE(token.status, 404);
        QCOMPARE(token.errorCode(), QStringLiteral("not_found"));
        // Without a secret no JWT is believed either.
        const QString jwt = m_owner->post(QStringLiteral("/auth/token")).json().value(QStringLiteral("token")).toString();
        const HttpResponse looked = http.post(QStringLiteral("/auth/introspect"), {{QStringLiteral("token"), jwt}},
                                              apiKey(m_serviceKey));
        QCOMPARE(looked.json(), (QJsonObject{{QStringLiteral("active"), false}}));
        QCOMPARE(plain.stop(), 0);
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(ActorContext)
#include "tst_actor_context.moc"
