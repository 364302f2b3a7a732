// WebAuthn Level 3 in the product, over real HTTP against the real daemon:
// related origins (GET /.well-known/webauthn, the origin check, CORS), top
// origins for embedded ceremonies, hints in the options, and conditional
// create — only a ceremony started as one may finish without user presence.
// Each refusal is checked with the contract's code and that nothing changed.

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/soft_credential.h"
#include "tests/support/test_database.h"

#include "shared/store/database.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QtTest>

using namespace daarion::testing;

namespace
{
const QString kRelatedApp = QStringLiteral("https://daarion.app");
const QString kRelatedShop = QStringLiteral("https://shop.daarion.io:8443");
const QString kPortal = QStringLiteral("https://portal.daarion.city"); // may embed our pages
const QString kRegisterStart = QStringLiteral("/auth/passkey/register/start");
const QString kAuthenticateStart = QStringLiteral("/auth/passkey/authenticate/start");
} // namespace

class Level3Features : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_configured; // RELATED_ORIGINS, TOP_ORIGINS, PASSKEY_HINTS set
    DaemonProcess m_plain;      // none of them; user verification required
    int m_accounts = 0;

    QString nextName(const QString &prefix) { return prefix + QString::number(++m_accounts); }

    QString scalar(const QString &sql, const QVariantList &values = {})
    {
        auto rows = m_db.database().run(sql, values);
        if (!rows || !rows.value()->next())
            return QStringLiteral("<no row>");
        return rows.value()->value(0).toString();
    }
    QString usersNamed(const QString &username)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM users WHERE username = ?"), {username});
    }
    QString passkeysOf(const QString &username)
    {
        return scalar(
            QStringLiteral("SELECT count(*) FROM passkeys p JOIN users u ON u.id = p.user_id"
                           " WHERE u.username = ?"),
            {username});
    }

    // A signed-up account on `daemon` whose page runs at `origin`.
    std::unique_ptr<PasskeyUser> signedUp(DaemonProcess &daemon, QString &name,
                                          const QString &origin = PasskeyUser::kDefaultOrigin)
    {
        name = nextName(QStringLiteral("l3user"));
        auto user =
            std::make_unique<PasskeyUser>(daemon.baseUrl(), SoftAuthenticator::Config{}, origin);
        const HttpResponse response = user->signUp(name);
        if (response.status != 200)
            qWarning().noquote() << "sign-up of" << name << "failed:" << response.describe();
        user->http().clearCookies();
        return user;
    }

    static HttpResponse preflight(DaemonProcess &daemon, const QString &origin)
    {
        HttpClient http(daemon.baseUrl());
        return http.request("OPTIONS", kRegisterStart, {},
                            {{"Origin", origin.toUtf8()},
                             {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "content-type,authorization"}});
    }

    static QStringList hintsOf(const HttpResponse &options)
    {
        QStringList hints;
        for (const QJsonValue &hint : options.json().value(QStringLiteral("hints")).toArray())
            hints.append(hint.toString());
        return hints;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_configured.start(
                     m_db.url(),
                     {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")},
                      {QStringLiteral("RELATED_ORIGINS"),
                       kRelatedApp + QStringLiteral(", ") + kRelatedShop},
                      {QStringLiteral("TOP_ORIGINS"), kPortal},
                      {QStringLiteral("PASSKEY_HINTS"), QStringLiteral("security-key,hybrid")}}),
                 qPrintable(m_configured.failure()));
        QVERIFY2(m_plain.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")},
                                            {QStringLiteral("REQUIRE_USER_VERIFICATION"),
                                             QStringLiteral("true")}}),
                 qPrintable(m_plain.failure()));
    }

    // ---- related origins -----------------------------------------------------

    void wellKnownListsTheRelatedOrigins()
    {
        HttpClient http(m_configured.baseUrl());
        const HttpResponse file = http.get(QStringLiteral("/.well-known/webauthn"));
        QVERIFY2(file.status == 200, qPrintable(file.describe()));
        QVERIFY2(file.header("Content-Type").startsWith("application/json"),
                 file.header("Content-Type").constData());
        QCOMPARE(file.json(), QJsonObject({{QStringLiteral("origins"),
                                            QJsonArray({kRelatedApp, kRelatedShop})}}));
        QVERIFY2(file.header("Cache-Control").contains("max-age"),
                 file.header("Cache-Control").constData());

        // Unset: there is no such file.
        const HttpResponse none =
            HttpClient(m_plain.baseUrl()).get(QStringLiteral("/.well-known/webauthn"));
        QCOMPARE(none.status, 404);
        QCOMPARE(none.errorCode(), QStringLiteral("not_found"));
    }

    void relatedOriginsPassTheOriginCheck()
    {
        for (const QString &origin : {kRelatedApp, kRelatedShop}) {
            QString name;
            auto user = signedUp(m_configured, name, origin);
            QCOMPARE(usersNamed(name), QStringLiteral("1"));
            const HttpResponse signIn = user->signIn(name);
            QVERIFY2(signIn.status == 200,
                     qPrintable(origin + QLatin1Char(' ') + signIn.describe()));
        }

        // A look-alike of a related origin is not one.
        const QString stranger = nextName(QStringLiteral("stranger"));
        PasskeyUser lookalike(m_configured.baseUrl(), {},
                              QStringLiteral("https://daarion.app.evil.example"));
        const HttpResponse refused = lookalike.signUp(stranger);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("origin_mismatch"));
        QCOMPARE(usersNamed(stranger), QStringLiteral("0"));

        // Without RELATED_ORIGINS the same page is a stranger too.
        const QString unlisted = nextName(QStringLiteral("unlisted"));
        PasskeyUser related(m_plain.baseUrl(), {}, kRelatedApp);
        const HttpResponse elsewhere = related.signUp(unlisted);
        QCOMPARE(elsewhere.errorCode(), QStringLiteral("origin_mismatch"));
        QCOMPARE(usersNamed(unlisted), QStringLiteral("0"));
    }

    void relatedOriginsPassCors()
    {
        // A related site calls this API from its pages, so CORS lets it in;
        // a top origin only embeds our page and never calls the API itself.
        const HttpResponse allowed = preflight(m_configured, kRelatedShop);
        QVERIFY2(allowed.status == 200 || allowed.status == 204, qPrintable(allowed.describe()));
        QCOMPARE(allowed.header("Access-Control-Allow-Origin"), kRelatedShop.toUtf8());
        const HttpResponse portal = preflight(m_configured, kPortal);
        QCOMPARE(portal.status, 403);
        QVERIFY(portal.header("Access-Control-Allow-Origin").isEmpty());
        const HttpResponse unlisted = preflight(m_plain, kRelatedShop);
        QCOMPARE(unlisted.status, 403);
        QVERIFY(unlisted.header("Access-Control-Allow-Origin").isEmpty());
    }

    // ---- top origins ---------------------------------------------------------

    void onlyListedTopOriginsMayEmbedACeremony()
    {
        QString name;
        auto user = signedUp(m_configured, name);

        SoftTweaks embedded;
        embedded.topOrigin = kPortal;
        const HttpResponse signedIn = user->signIn(name, embedded);
        QVERIFY2(signedIn.status == 200, qPrintable(signedIn.describe()));

        SoftTweaks elsewhere;
        elsewhere.topOrigin = QStringLiteral("https://evil.example");
        HttpResponse refused = user->signIn(name, elsewhere);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("origin_mismatch"));

        // A Level 2 client's bare crossOrigin does not say who embedded the page.
        SoftTweaks unnamed;
        unnamed.clientData = [](QJsonObject &clientData) {
            clientData.insert(QStringLiteral("crossOrigin"), true);
        };
        refused = user->signIn(name, unnamed);
        QCOMPARE(refused.errorCode(), QStringLiteral("origin_mismatch"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'login_failure'"
                                  " AND error_code = 'origin_mismatch' AND username = ?"),
                   {name}),
            QStringLiteral("2"));

        // Registration: the same rule, and a refused sign-up leaves no account.
        const QString framed = nextName(QStringLiteral("framed"));
        PasskeyUser newcomer(m_configured.baseUrl());
        QVERIFY2(newcomer.signUp(framed, {}, embedded).status == 200,
                 "sign-up embedded in the portal");
        const QString refusedName = nextName(QStringLiteral("framed"));
        PasskeyUser other(m_configured.baseUrl());
        QCOMPARE(other.signUp(refusedName, {}, elsewhere).errorCode(),
                 QStringLiteral("origin_mismatch"));
        QCOMPARE(usersNamed(refusedName), QStringLiteral("0"));
    }

    void withoutTopOriginsNothingMayEmbed()
    {
        // TOP_ORIGINS unset (the default): before, any embedding page was
        // accepted; now none is.
        const QString name = nextName(QStringLiteral("unembedded"));
        PasskeyUser user(m_plain.baseUrl());
        SoftTweaks embedded;
        embedded.topOrigin = kPortal;
        const HttpResponse refused = user.signUp(name, {}, embedded);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("origin_mismatch"));
        QCOMPARE(usersNamed(name), QStringLiteral("0"));
        QVERIFY2(user.signUp(name).status == 200, "the same sign-up, not embedded");
        SoftTweaks sameOriginFrame; // crossOrigin false: a frame of our own origin is fine
        sameOriginFrame.clientData = [](QJsonObject &clientData) {
            clientData.insert(QStringLiteral("crossOrigin"), false);
        };
        QVERIFY2(user.signIn(name, sameOriginFrame).status == 200, "crossOrigin false");
    }

    // ---- hints ---------------------------------------------------------------

    void hintsAreSentInBothOptions()
    {
        HttpClient http(m_configured.baseUrl());
        const QStringList configured{QStringLiteral("security-key"), QStringLiteral("hybrid")};
        const HttpResponse creation = http.post(
            kRegisterStart,
            QJsonObject{{QStringLiteral("username"), nextName(QStringLiteral("hinted"))}});
        QVERIFY2(creation.status == 200, qPrintable(creation.describe()));
        QCOMPARE(hintsOf(creation), configured);
        const HttpResponse discoverable = http.post(kAuthenticateStart, QJsonObject{});
        QCOMPARE(hintsOf(discoverable), configured);
        const HttpResponse usernameFirst =
            http.post(kAuthenticateStart,
                      QJsonObject{{QStringLiteral("username"), QStringLiteral("nobody_here")}});
        QCOMPARE(hintsOf(usernameFirst), configured);

        // Unset: an empty list, which browsers read as "no preference".
        HttpClient plain(m_plain.baseUrl());
        const HttpResponse none = plain.post(kAuthenticateStart, QJsonObject{});
        QVERIFY(none.json().value(QStringLiteral("hints")).isArray());
        QVERIFY(hintsOf(none).isEmpty());
    }

    // ---- conditional create --------------------------------------------------

    void conditionalCreateMayFinishWithoutUserPresence()
    {
        QString name;
        auto user = signedUp(m_configured, name);
        const HttpResponse started =
            user->post(kRegisterStart, QJsonObject{{QStringLiteral("conditional"), true}});
        QVERIFY2(started.status == 200, qPrintable(started.describe()));
        QCOMPARE(hintsOf(started),
                 QStringList({QStringLiteral("security-key"), QStringLiteral("hybrid")}));
        QVERIFY(!started.json().value(QStringLiteral("excludeCredentials")).toArray().isEmpty());

        // What a browser's automatic passkey upgrade sends: neither UP nor UV.
        SoftAuthenticator upgrade; // another authenticator: the first one is excluded
        SoftTweaks noGesture;
        noGesture.clearFlags = softflag::UP | softflag::UV;
        const SoftRegistration created = upgrade.create(started.json(), user->origin(), noGesture);
        QVERIFY2(created.ok(), qPrintable(created.domError));
        const HttpResponse finished = user->finishRegistration(created.json);
        QVERIFY2(finished.status == 200, qPrintable(finished.describe()));
        QCOMPARE(finished.json()
                     .value(QStringLiteral("credential"))
                     .toObject()
                     .value(QStringLiteral("user_verified")),
                 QJsonValue(false));
        QCOMPARE(passkeysOf(name), QStringLiteral("2"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM auth_events WHERE event = 'passkey_added'"
                                  " AND username = ? AND details->>'conditional' = 'true'"),
                   {name}),
            QStringLiteral("1"));

        // The upgraded passkey signs in like any other (with a gesture).
        PasskeyUser later(m_configured.baseUrl());
        for (const SoftCredential &credential : upgrade.credentials())
            later.authenticator().addCredential(credential);
        const HttpResponse signedIn = later.signIn(name);
        QVERIFY2(signedIn.status == 200, qPrintable(signedIn.describe()));
    }

    void onlyAConditionalCeremonyMaySkipUserPresence()
    {
        QString name;
        auto user = signedUp(m_configured, name);
        SoftTweaks noGesture;
        noGesture.clearFlags = softflag::UP | softflag::UV;

        // The ordinary "add a passkey": UP = 0 is refused, nothing added.
        const HttpResponse started = user->startAddPasskey();
        QVERIFY2(started.status == 200, qPrintable(started.describe()));
        SoftAuthenticator second;
        const SoftRegistration created = second.create(started.json(), user->origin(), noGesture);
        QVERIFY2(created.ok(), qPrintable(created.domError));
        const HttpResponse refused = user->finishRegistration(created.json);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("user_presence_required"));
        QCOMPARE(passkeysOf(name), QStringLiteral("1"));

        // A sign-up neither.
        const QString newcomer = nextName(QStringLiteral("nogesture"));
        PasskeyUser someone(m_configured.baseUrl());
        QCOMPARE(someone.signUp(newcomer, {}, noGesture).errorCode(),
                 QStringLiteral("user_presence_required"));
        QCOMPARE(usersNamed(newcomer), QStringLiteral("0"));

        // Nor a sign-in, whatever registration came before.
        QCOMPARE(user->signIn(name, noGesture).errorCode(),
                 QStringLiteral("user_presence_required"));
    }

    void conditionalCreateIsForASignedInPerson()
    {
        const QString challengesBefore =
            scalar(QStringLiteral("SELECT count(*) FROM passkey_challenges"));
        HttpClient anonymous(m_configured.baseUrl());
        HttpResponse refused =
            anonymous.post(kRegisterStart, QJsonObject{{QStringLiteral("conditional"), true}});
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("unauthenticated"));
        refused = anonymous.post(
            kRegisterStart, QJsonObject{{QStringLiteral("conditional"), true},
                                        {QStringLiteral("username"), QStringLiteral("newbie")}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));

        QString name;
        auto user = signedUp(m_configured, name);
        for (const QJsonValue &notABool :
             {QJsonValue(QStringLiteral("true")), QJsonValue(1), QJsonValue(QJsonObject())}) {
            refused =
                user->post(kRegisterStart, QJsonObject{{QStringLiteral("conditional"), notABool}});
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        }
        // An enrollment link is used through the browser's prompt, never a
        // conditional create (refused before the token is looked up).
        refused = user->post(kRegisterStart,
                             QJsonObject{{QStringLiteral("conditional"), true},
                                         {QStringLiteral("enrollment_token"),
                                          QStringLiteral("de_") + QString(43, QLatin1Char('A'))}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM passkey_challenges")),
                 challengesBefore);
        // {"conditional": false} is an ordinary start.
        QCOMPARE(
            user->post(kRegisterStart, QJsonObject{{QStringLiteral("conditional"), false}}).status,
            200);
    }

    void conditionalCreateRefusedWhereUserVerificationIsRequired()
    {
        // Such a creation never verifies the user, so it could never finish here.
        QString name;
        auto user = signedUp(m_plain, name);
        const HttpResponse refused =
            user->post(kRegisterStart, QJsonObject{{QStringLiteral("conditional"), true}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("invalid_request"));
        QVERIFY2(refused.json()
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("verification")),
                 qPrintable(refused.describe()));
        QCOMPARE(user->startAddPasskey().status, 200);
    }

    // ---- settings ------------------------------------------------------------

    void badValuesStopTheDaemonNamingTheSetting_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("related origin over http") << "RELATED_ORIGINS"
                                                  << "http://daarion.app";
        QTest::newRow("top origin with a path") << "TOP_ORIGINS"
                                                << "https://portal.daarion.city/embed";
        QTest::newRow("unknown hint") << "PASSKEY_HINTS"
                                      << "usb";
    }

    void badValuesStopTheDaemonNamingTheSetting()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        const DaemonProcess::Outcome outcome = DaemonProcess::runToExit(
            {{QStringLiteral("DATABASE_URL"), m_db.url()},
             {QStringLiteral("PORT"), QString::number(DaemonProcess::freePort())},
             {QStringLiteral("BIND_ADDRESS"), QStringLiteral("127.0.0.1")},
             {variable, value}},
            {});
        QVERIFY2(outcome.finished, qPrintable(outcome.output));
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.output.contains(variable), qPrintable(outcome.output));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_configured.stop(), 0);
        QCOMPARE(m_plain.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(Level3Features)
#include "tst_level3_features.moc"
