// The session cookie against cross-site requests, end to end: a request
// that changes state with only the cookie as its credential must be
// application/json (a form or a plain POST from another site cannot be);
// two session cookies are refused; over https the cookie is
// __Host-session_token, and COOKIE_SECURE, not the client's Origin header,
// decides Secure.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QJsonArray>
#include <QtTest>

using namespace daarion::testing;

namespace
{

const QByteArray kJson = "application/json";

Headers contentType(const QByteArray &type)
{
    return {{"Content-Type", type}};
}
Headers cookie(const QByteArray &value)
{
    return {{"Cookie", value}};
}

// The name=value of a Set-Cookie header.
QByteArray cookiePair(const QByteArray &setCookie)
{
    return setCookie.split(';').first().trimmed();
}

} // namespace

class SessionCookie : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess
        m_daemon; // COOKIE_SECURE=auto over http, ORIGIN with an http origin: plain cookie

    QString base() const { return m_daemon.baseUrl(); }

    // A browser signed up on `daemon`: its jar holds the cookie, no bearer token is sent.
    std::unique_ptr<PasskeyUser> browserOn(const QString &baseUrl, const QString &prefix,
                                           const QString &origin = PasskeyUser::kDefaultOrigin)
    {
        static int counter = 0;
        auto user = std::make_unique<PasskeyUser>(baseUrl, SoftAuthenticator::Config{}, origin);
        const HttpResponse signedUp = user->signUp(prefix + QString::number(++counter));
        if (signedUp.status != 200)
            qWarning() << "sign-up failed:" << signedUp.describe();
        m_lastSetCookie = signedUp.header("Set-Cookie");
        user->token.clear();
        return user;
    }
    QByteArray m_lastSetCookie;

    int liveSessions(PasskeyUser &browser)
    {
        return int(browser.http().get("/auth/sessions").json().value("sessions").toArray().size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), {{"RATE_LIMIT", "off"}}),
                 qPrintable(m_daemon.failure()));
    }

    void cookieRequestsThatChangeStateMustBeJson()
    {
        auto browser = browserOn(base(), "csrf");
        HttpClient &http = browser->http();
        QCOMPARE(http.get("/auth/me").status, 200); // reading needs no content type
        const int sessions = liveSessions(*browser);
        QVERIFY(sessions >= 1);
        const QString sessionId =
            http.get("/auth/sessions").json().value("sessions").toArray().first()["id"].toString();
        const QString passkeyId =
            http.get("/auth/passkeys").json().value("passkeys").toArray().first()["id"].toString();
        QVERIFY(!sessionId.isEmpty() && !passkeyId.isEmpty());

        // What another site's page can send without a CORS preflight.
        struct Attempt {
            QByteArray method;
            QString path;
            QByteArray body;
            Headers headers;
        };
        const QList<Attempt> attempts = {
            {"POST", "/auth/logout?all=true", {}, {}}, // a plain POST, no body
            {"POST", "/auth/logout", "a=1", contentType("application/x-www-form-urlencoded")},
            {"POST", "/auth/session/refresh", "{}",
             contentType("text/plain")}, // JSON in a text/plain body
            {"POST", "/auth/logout", {}, contentType("multipart/form-data; boundary=x")},
            {"POST", "/auth/logout", {}, contentType("application/jsonx")},
            {"DELETE", "/auth/sessions/" + sessionId, {}, {}},
            {"DELETE", "/auth/passkeys/" + passkeyId, {}, {}},
            {"PATCH", "/auth/passkeys/" + passkeyId, R"({"device_name":"pwned"})",
             contentType("text/plain")},
            {"POST", "/auth/api-keys", R"({"name":"x","microdao_id":"microdao:1"})", {}},
        };
        for (const Attempt &attempt : attempts) {
            const HttpResponse refused =
                http.request(attempt.method, attempt.path, attempt.body, attempt.headers);
            QVERIFY2(refused.status == 403 && refused.errorCode() == "csrf_refused",
                     qPrintable(attempt.method + ' ' + attempt.path + ": " + refused.describe()));
            QVERIFY(refused.header("Set-Cookie").isEmpty());
        }
        // Nothing changed.
        QCOMPARE(http.get("/auth/me").status, 200);
        QCOMPARE(liveSessions(*browser), sessions);
        QVERIFY(http.get("/auth/passkeys").body.contains(passkeyId.toLatin1()));
        QVERIFY(!http.get("/auth/passkeys").body.contains("pwned"));

        // The same requests as the service's own clients send them pass.
        const HttpResponse refreshed =
            http.request("POST", "/auth/session/refresh", {}, contentType(kJson));
        QVERIFY2(refreshed.status == 200, qPrintable(refreshed.describe()));
        QVERIFY(refreshed.header("Set-Cookie").startsWith("session_token="));
        QCOMPARE(http.get("/auth/me").status, 200); // the jar took the rotated cookie
        const HttpResponse renamed =
            http.request("PATCH", "/auth/passkeys/" + passkeyId, R"({"device_name":"Laptop"})",
                         contentType("Application/JSON; charset=utf-8"));
        QVERIFY2(renamed.status == 200, qPrintable(renamed.describe()));
        const HttpResponse out = http.request("POST", "/auth/logout", {}, contentType(kJson));
        QCOMPARE(out.status, 204);
        QCOMPARE(http.get("/auth/me").status, 401);
    }

    void otherCredentialsNeedNoContentType()
    {
        // A page of another site cannot send Authorization or X-API-Key
        // without a preflight the CORS policy answers, and nothing sends them
        // on its own: such a request is not forged.
        auto browser = browserOn(base(), "bearer");
        const QByteArray token =
            browser->http()
                .request("POST", "/auth/session/refresh", {}, contentType(kJson))
                .json()
                .value("session_token")
                .toString()
                .toLatin1();
        QVERIFY(!token.isEmpty());
        HttpClient other(base());
        const HttpResponse out =
            other.request("POST", "/auth/logout", {}, {{"Authorization", "Bearer " + token}});
        QVERIFY2(out.status == 204, qPrintable(out.describe()));
        // Requests with no credential at all are not the guard's business either.
        QCOMPARE(other.request("POST", "/auth/logout").errorCode(),
                 QStringLiteral("unauthenticated"));
    }

    void twoSessionCookiesAreRefused()
    {
        auto first = browserOn(base(), "twice-a");
        const QByteArray mine = cookiePair(m_lastSetCookie);
        auto second = browserOn(base(), "twice-b");
        const QByteArray theirs = cookiePair(m_lastSetCookie);
        QVERIFY(mine.startsWith("session_token=") && theirs.startsWith("session_token="));

        HttpClient http(base());
        QCOMPARE(http.get("/auth/me", cookie(mine)).status, 200);
        // A sibling site of the same domain can plant its cookie beside ours;
        // neither is believed.
        for (const QByteArray &header :
             {mine + "; " + theirs, theirs + "; " + mine, mine + "; theme=dark; " + mine}) {
            const HttpResponse refused = http.get("/auth/me", cookie(header));
            QVERIFY2(refused.status == 400 && refused.errorCode() == "invalid_request",
                     qPrintable(header + ": " + refused.describe()));
            const HttpResponse logout =
                http.request("POST", "/auth/logout", {}, cookie(header) + contentType(kJson));
            QCOMPARE(logout.status, 400);
        }
        QCOMPARE(http.get("/auth/me", cookie(mine)).status, 200); // nothing was ended
        QCOMPARE(http.get("/auth/me", cookie(theirs)).status, 200);
        // A bearer token decides before any cookie is looked at.
        const QByteArray token = mine.mid(int(qstrlen("session_token=")));
        QCOMPARE(http.get("/auth/me", cookie(mine + "; " + theirs) +
                                          Headers{{"Authorization", "Bearer " + token}})
                     .status,
                 200);
    }

    void originHeaderDoesNotDecideSecure()
    {
        // A client claiming an https Origin over plain http used to get a
        // Secure cookie (which its browser then dropped); the setting decides.
        auto browser = browserOn(base(), "origin");
        const HttpResponse refreshed = browser->http().request(
            "POST", "/auth/session/refresh", {},
            contentType(kJson) + Headers{{"Origin", "https://daarion.city"}});
        QVERIFY2(refreshed.status == 200, qPrintable(refreshed.describe()));
        const QByteArray setCookie = refreshed.header("Set-Cookie");
        QVERIFY2(setCookie.startsWith("session_token=") && !setCookie.contains("Secure"),
                 setCookie.constData());
        QVERIFY2(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") &&
                     setCookie.contains("Path=/"),
                 setCookie.constData());
    }

    void secureCookieIsHostPrefixed_data()
    {
        QTest::addColumn<QString>("cookieSecure");
        QTest::addColumn<QString>("origins");
        QTest::addColumn<bool>("secure");
        // The RP ID is localhost: every origin is one of its.
        QTest::newRow("true") << "true" << "http://localhost:3000" << true;
        QTest::newRow("auto, every origin https") << "auto" << "https://localhost:8443,https://localhost" << true;
        QTest::newRow("auto, an http origin") << "auto" << "https://localhost:8443,http://localhost:3000" << false;
        QTest::newRow("false") << "false" << "https://localhost:8443" << false;
    }

    void secureCookieIsHostPrefixed()
    {
        QFETCH(QString, cookieSecure);
        QFETCH(QString, origins);
        QFETCH(bool, secure);
        DaemonProcess daemon;
        QVERIFY2(daemon.start(m_db.url(), {{"RATE_LIMIT", "off"},
                                           {"MIGRATE_ON_START", "false"},
                                           {"COOKIE_SECURE", cookieSecure},
                                           {"ORIGIN", origins}}),
                 qPrintable(daemon.failure()));
        auto browser = browserOn(daemon.baseUrl(), "secure", origins.split(',').first());
        const QByteArray setCookie = m_lastSetCookie;
        const QByteArray name = secure ? "__Host-session_token" : "session_token";
        QVERIFY2(setCookie.startsWith(name + "="), setCookie.constData());
        QCOMPARE(setCookie.contains("; Secure"), secure);
        QVERIFY2(setCookie.contains("; Path=/") && !setCookie.toLower().contains("domain="),
                 setCookie.constData());

        // The daemon reads the name it sets, and only that one.
        const QByteArray token = cookiePair(setCookie).mid(name.size() + 1);
        HttpClient http(daemon.baseUrl());
        QCOMPARE(http.get("/auth/me", cookie(name + "=" + token)).status, 200);
        const QByteArray otherName = secure ? "session_token" : "__Host-session_token";
        QCOMPARE(http.get("/auth/me", cookie(otherName + "=" + token)).errorCode(),
                 QStringLiteral("unauthenticated"));
        // Signing out clears that same cookie.
        const HttpResponse out = http.request("POST", "/auth/logout", {},
                                              cookie(name + "=" + token) + contentType(kJson));
        QCOMPARE(out.status, 204);
        const QByteArray cleared = out.header("Set-Cookie");
        QVERIFY2(cleared.startsWith(name + "=;") && cleared.contains("Max-Age=0"),
                 cleared.constData());
        QCOMPARE(cleared.contains("; Secure"), secure);
        QCOMPARE(daemon.stop(), 0);
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(SessionCookie)
#include "tst_session_cookie.moc"
