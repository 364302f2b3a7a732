// The HTTP edge's pure parts, without sockets: the request-head scanner, the
// JSON body rules, X-Forwarded-For resolution, token buckets, CORS and the
// settings table.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "server/http/api_error.h"
#include "server/http/api_request.h"
#include "server/http/api_router.h"
#include "server/http/client_address.h"
#include "server/http/cors_policy.h"
#include "server/http/cross_site_guard.h"
#include "server/http/rate_limiter.h"
#include "server/http/request_head_scanner.h"
#include "shared/config/settings.h"
#include "tests/support/manual_clock.h"

#include <QJsonDocument>
#include <QTest>

using namespace daarion;
using namespace daarion::server;

class HttpPartsTest : public QObject
{
    Q_OBJECT

private slots:
    void scannerAcceptsAHeadInPieces();
    void scannerRefuses_data();
    void scannerRefuses();
    void scannerClosesHttp10();
    void jsonBodyRules();
    void forwardedFor();
    void rateLimitKeys();
    void tokenBuckets();
    void cors();
    void cookies();
    void crossSiteGuard();
    void sessionCookieSecure();
    void settingsFromEnvironmentAndFlags();
    void settingsRefusals_data();
    void settingsRefusals();
    void settingsNeverDescribeSecrets();
    void productionNeedsItsOrigin();
    void errorStatuses();
    void verifierDetailStaysInTheLog();
};

void HttpPartsTest::scannerAcceptsAHeadInPieces()
{
    RequestHeadScanner scanner(HeadLimits{});
    const QByteArray head = "\r\nPOST /auth/x HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n";
    for (qsizetype i = 0; i < head.size() - 1; ++i)
        QCOMPARE(scanner.feed(head.mid(i, 1)), RequestHeadScanner::State::NeedMore);
    QCOMPARE(scanner.feed(head.right(1) + "body bytes.."), RequestHeadScanner::State::Complete);
    QCOMPARE(scanner.head().method, QByteArray("POST"));
    QCOMPARE(scanner.head().target, QByteArray("/auth/x"));
    QCOMPARE(scanner.head().contentLength, 12);
    QVERIFY(scanner.head().expectContinue);
    QVERIFY(!scanner.head().closeRequested);
    scanner.reset();
    QCOMPARE(scanner.feed("GET / HTTP/1.1\nHost: a\n\n"), RequestHeadScanner::State::Complete); // bare LF, as Qt accepts
}

void HttpPartsTest::scannerRefuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QByteArray many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 70; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("binary") << QByteArray("\x16\x03\x01", 3) << 400;
    QTest::newRow("no version") << QByteArray("GET /\r\n") << 400;
    QTest::newRow("HTTP/9.9") << QByteArray("GET / HTTP/9.9\r\n\r\n") << 400;
    QTest::newRow("absolute form") << QByteArray("GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("too many fields") << many + "\r\n" << 400;
    QTest::newRow("long line") << "GET /" + QByteArray(9000, 'a') << 400;
    QTest::newRow("huge head") << "GET / HTTP/1.1\r\nX: " + QByteArray(17000, 'a') << 400;
    QTest::newRow("folded") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
    QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") << 400;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
    QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
    QTest::newRow("signed length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("too large") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n") << 413;
}

void HttpPartsTest::scannerRefuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    RequestHeadScanner scanner(HeadLimits{});
    QCOMPARE(scanner.feed(bytes), RequestHeadScanner::State::Rejected);
    QCOMPARE(identity::httpStatus(scanner.rejection().code), status);
    QCOMPARE(QString(identity::errorName(scanner.rejection().code)),
             status == 413 ? QStringLiteral("payload_too_large") : QStringLiteral("invalid_request"));
}

void HttpPartsTest::scannerClosesHttp10()
{
    RequestHeadScanner scanner(HeadLimits{});
    QCOMPARE(scanner.feed("GET / HTTP/1.0\r\nHost: a\r\n\r\n"), RequestHeadScanner::State::Complete);
    QVERIFY(scanner.head().closeRequested);
    scanner.reset();
    QCOMPARE(scanner.feed("GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"), RequestHeadScanner::State::Complete);
    QVERIFY(!scanner.head().closeRequested);
    scanner.reset();
    QCOMPARE(scanner.feed("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n"), RequestHeadScanner::State::Complete);
    QVERIFY(scanner.head().closeRequested);
}

void HttpPartsTest::jsonBodyRules()
{
    ApiRequest request;
    request.headers.insert("content-type", "application/json; charset=utf-8");
    request.body = R"({"username": "alice", "n": [1, {"a": "\"]]]]"}]})";
    JsonBody body = request.jsonBody(4);
    QVERIFY(body.ok());
    QCOMPARE(body.object.value("username").toString(), QStringLiteral("alice"));

    request.body = "";
    QVERIFY(request.jsonBody().ok()); // empty body is {}

    request.body = "[[[[[1]]]]]";
    body = request.jsonBody(4);
    QVERIFY(!body.ok());
    QCOMPARE(body.error->status, 400);
    QCOMPARE(QJsonDocument::fromJson(body.error->body).object().value("error").toString(), QStringLiteral("invalid_json"));

    request.body = "[1]";
    QVERIFY(!request.jsonBody().ok()); // not an object
    request.body = R"({"a": "x\u0000y"})";
    QVERIFY(!request.jsonBody().ok()); // NUL cannot be stored
    request.body = R"({"a": "x\\u0000y"})";
    QVERIFY(request.jsonBody().ok()); // an escaped backslash, then text

    request.headers.insert("content-type", "text/plain");
    request.body = "{}";
    body = request.jsonBody();
    QVERIFY(!body.ok());
    QCOMPARE(QJsonDocument::fromJson(body.error->body).object().value("error").toString(), QStringLiteral("invalid_request"));
}

void HttpPartsTest::forwardedFor()
{
    ClientAddressResolver resolver({QHostAddress::parseSubnet("10.0.0.0/8"), {QHostAddress("127.0.0.1"), 32}});
    const QHostAddress proxy("127.0.0.1");
    const QHostAddress stranger("192.0.2.1");
    auto resolve = [&](const QHostAddress &peer, const QByteArray &xff) {
        return resolver.resolve(peer, xff, {}).address.toString();
    };
    QCOMPARE(resolve(stranger, "203.0.113.5"), QStringLiteral("192.0.2.1"));
    QCOMPARE(resolve(proxy, "203.0.113.5"), QStringLiteral("203.0.113.5"));
    QCOMPARE(resolve(proxy, "1.1.1.1, 203.0.113.5, 10.2.3.4"), QStringLiteral("203.0.113.5"));
    QCOMPARE(resolve(proxy, "10.9.9.9, 10.2.3.4"), QStringLiteral("10.9.9.9")); // all trusted: the farthest
    QCOMPARE(resolve(proxy, "bogus, 10.2.3.4"), QStringLiteral("10.2.3.4"));
    QCOMPARE(resolve(proxy, ""), QStringLiteral("127.0.0.1"));
    QCOMPARE(resolve(QHostAddress("::ffff:127.0.0.1"), "2001:db8::1"), QStringLiteral("2001:db8::1"));
    QVERIFY(resolver.resolve(proxy, "203.0.113.5", "https").forwardedHttps);
    QVERIFY(!resolver.resolve(stranger, "203.0.113.5", "https").forwardedHttps);

    ClientAddressResolver none({});
    QCOMPARE(none.resolve(proxy, "203.0.113.5", {}).address.toString(), QStringLiteral("127.0.0.1"));
}

void HttpPartsTest::rateLimitKeys()
{
    QCOMPARE(ClientAddressResolver::rateLimitKey(QHostAddress("::ffff:192.0.2.9")), QStringLiteral("192.0.2.9"));
    QCOMPARE(ClientAddressResolver::rateLimitKey(QHostAddress("2001:db8:1:2:3:4:5:6")),
             ClientAddressResolver::rateLimitKey(QHostAddress("2001:db8:1:2:ffff::1")));
    QVERIFY(ClientAddressResolver::rateLimitKey(QHostAddress("2001:db8:1:2::1"))
            != ClientAddressResolver::rateLimitKey(QHostAddress("2001:db8:1:3::1")));
}

void HttpPartsTest::tokenBuckets()
{
    config::RateLimitSettings settings;
    settings.ipBurst = 2;
    settings.ipPerMinute = 60;
    settings.usernameBurst = 1;
    settings.usernamePerMinute = 1;
    testing::ManualClock clock;
    RateLimiter limiter(settings, clock);
    QCOMPARE(limiter.takeForAddress("a"), 0);
    QCOMPARE(limiter.takeForAddress("a"), 0);
    QCOMPARE(limiter.takeForAddress("a"), 1);
    QCOMPARE(limiter.takeForAddress("b"), 0); // another key, another bucket
    clock.advance(std::chrono::milliseconds(999));
    QCOMPARE(limiter.takeForAddress("a"), 1); // not quite a token yet
    clock.advance(std::chrono::milliseconds(2));
    QCOMPARE(limiter.takeForAddress("a"), 0); // one per second came back
    QCOMPARE(limiter.takeForUsername("alice", UsernameBucket::SignIn), 0);
    QVERIFY(limiter.takeForUsername("alice", UsernameBucket::SignIn) >= 59);
    // Sign-up attempts on the name have their own budget, and spend none of the owner's.
    QCOMPARE(limiter.takeForUsername("bob", UsernameBucket::SignUp), 0);
    QVERIFY(limiter.takeForUsername("bob", UsernameBucket::SignUp) >= 59);
    QCOMPARE(limiter.takeForUsername("bob", UsernameBucket::SignIn), 0);
    QCOMPARE(limiter.takeForUsername("alice", UsernameBucket::SignUp), 0);

    ApiRequest request;
    request.rateLimiter = &limiter;
    const auto refused = request.limitUsername("ALICE", UsernameBucket::SignIn); // case-insensitive
    QVERIFY(refused.has_value());
    QCOMPARE(refused->status, 429);
    QVERIFY(!refused->headers.isEmpty());
    QCOMPARE(refused->headers.first().first, QByteArray("Retry-After"));

    settings.enabled = false;
    RateLimiter off(settings);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(off.takeForAddress("a"), 0);
}

void HttpPartsTest::cors()
{
    CorsPolicy policy({"http://localhost:3000", "https://daarion.city"});
    QVERIFY(policy.allows("https://daarion.city"));
    QVERIFY(!policy.allows("https://daarion.city.evil.example"));
    QVERIFY(!policy.allows("null"));
    QVERIFY(policy.responseHeaders("https://evil.example").isEmpty());
    const HeaderPairs headers = policy.responseHeaders("http://localhost:3000");
    QVERIFY(headers.contains(qMakePair(QByteArray("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"))));
}

void HttpPartsTest::cookies()
{
    const RequestCookies cookies = RequestCookies::parse(
        "theme=dark; session_token=a; __Host-session_token=\"b\"; session_token=c; =x; junk");
    QCOMPARE(cookies.value("session_token"), QStringLiteral("a")); // the first
    QCOMPARE(cookies.count("session_token"), 2);
    QCOMPARE(cookies.value("__Host-session_token"), QStringLiteral("b"));
    QCOMPARE(cookies.count("__Host-session_token"), 1);
    QCOMPARE(cookies.count("Session_Token"), 0); // names are case-sensitive
    QCOMPARE(cookies.count("missing"), 0);

    const SessionCookie plain(false), secure(true);
    QCOMPARE(plain.name(), QStringLiteral("session_token"));
    QCOMPARE(secure.name(), QStringLiteral("__Host-session_token"));
    QCOMPARE(secure.setting("tok", 60),
             QByteArray("__Host-session_token=tok; HttpOnly; SameSite=Lax; Path=/; "
                        "Max-Age=60; Secure"));
    QCOMPARE(plain.setting("tok", -5),
             QByteArray("session_token=tok; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"));
    QCOMPARE(
        secure.clearing(),
        QByteArray("__Host-session_token=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Secure"));
}

void HttpPartsTest::crossSiteGuard()
{
    ApiRouter router;
    int ran = 0;
    const auto handler = [&ran](const ApiRequest &) {
        ++ran;
        return ApiResponse::noContent();
    };
    router.get("/x", handler);
    router.post("/x", handler);
    const SessionCookie cookie(false);
    router.guardStateChanging(
        [cookie](const ApiRequest &r) { return refuseForgeableCookieRequest(r, cookie); });
    router.del("/x", handler); // added after the guard: guarded too
    router.put("/y", handler);
    router.patch("/y", handler);

    const auto call = [&](const QByteArray &method, const QByteArray &cookieHeader,
                          const QByteArray &contentType, const QByteArray &authorization = {}) {
        ApiRequest request;
        request.method = method;
        request.cookies = RequestCookies::parse(cookieHeader);
        if (!contentType.isEmpty())
            request.headers.insert("content-type", contentType);
        if (!authorization.isEmpty())
            request.headers.insert("authorization", authorization);
        for (const Route &route : router.routes())
            if (route.method == method)
                return route.handler(request);
        return ApiResponse{};
    };
    const QByteArray session = "session_token=abc";
    for (const QByteArray &method :
         {QByteArray("POST"), QByteArray("DELETE"), QByteArray("PUT"), QByteArray("PATCH")}) {
        ran = 0;
        const ApiResponse refused = call(method, session, {});
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.body.contains("csrf_refused"));
        QCOMPARE(call(method, session, "text/plain").status, 403);
        QCOMPARE(call(method, session, "application/x-www-form-urlencoded").status, 403);
        QCOMPARE(ran, 0);
        QCOMPARE(call(method, session, "application/json").status, 204);
        QCOMPARE(call(method, session, "application/json; charset=utf-8").status, 204);
        QCOMPARE(call(method, {}, {}).status, 204); // no credential: the handler decides
        QCOMPARE(call(method, session, {}, "Bearer tok").status, 204); // the bearer token decides
        QCOMPARE(call(method, "__Host-session_token=abc", {}).status,
                 204); // not the name this daemon reads
        QCOMPARE(ran, 5);
    }
    ran = 0;
    QCOMPARE(call("GET", session, {}).status, 204); // reading changes nothing
    QCOMPARE(ran, 1);
}

void HttpPartsTest::sessionCookieSecure()
{
    config::Settings settings;
    settings.allowedOrigins = QStringList{"http://localhost:3000", "https://daarion.city"};
    QVERIFY(!config::sessionCookieSecure(settings)); // auto, an http origin
    settings.allowedOrigins = QStringList{"https://daarion.city", "https://app.daarion.city"};
    QVERIFY(config::sessionCookieSecure(settings)); // auto, every origin https
    settings.cookieSecure = config::CookieSecure::Never;
    QVERIFY(!config::sessionCookieSecure(settings));
    settings.cookieSecure = config::CookieSecure::Auto;
    settings.allowedOrigins = QStringList{"http://localhost:3000"};
    settings.tlsCertificateFile = "/etc/ssl/cert.pem"; // the daemon serves TLS itself
    QVERIFY(config::sessionCookieSecure(settings));
    settings.tlsCertificateFile.clear();
    settings.cookieSecure = config::CookieSecure::Always;
    QVERIFY(config::sessionCookieSecure(settings));

    QProcessEnvironment env;
    env.insert("DATABASE_URL", "postgresql://u@h/d");
    for (const auto &[value, expected] :
         QList<QPair<QString, config::CookieSecure>>{{"auto", config::CookieSecure::Auto},
                                                     {"TRUE", config::CookieSecure::Always},
                                                     {"false", config::CookieSecure::Never},
                                                     {"off", config::CookieSecure::Never}}) {
        env.insert("COOKIE_SECURE", value);
        const config::SettingsOutcome outcome = config::loadSettings(env, {"daarion-authd"});
        QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.settings->cookieSecure, expected);
    }
}

void HttpPartsTest::settingsFromEnvironmentAndFlags()
{
    QProcessEnvironment env;
    env.insert("DATABASE_URL", "postgresql://u@h/d");
    env.insert("PORT", "8000");
    env.insert("ENVIRONMENT", "production");
    env.insert("ORIGIN", "https://daarion.city/, HTTPS://App.Daarion.City:443, http://localhost:3000");
    env.insert("SESSION_TTL", "12h");
    env.insert("TRUSTED_PROXIES", "10.0.0.0/8, ::1");
    env.insert("RATE_LIMIT", "off");
    env.insert("JWT_SECRET", "");
    config::SettingsOutcome outcome =
        config::loadSettings(env, {"daarion-authd", "--port", "9000", "--demo", "--http-idle-timeout=750ms"});
    QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
    const config::Settings &s = *outcome.settings;
    QCOMPARE(s.port, 9000); // the flag wins
    QCOMPARE(s.rpId, QStringLiteral("daarion.city")); // production default
    QCOMPARE(s.allowedOrigins,
             QStringList({"https://daarion.city", "https://app.daarion.city", "http://localhost:3000"}));
    QCOMPARE(s.sessionTtl.count(), 12 * 3600);
    QCOMPARE(s.trustedProxies.size(), 2);
    QVERIFY(!s.rateLimit.enabled);
    QVERIFY(s.demo);
    QCOMPARE(s.httpIdleTimeout.count(), 750);
    QVERIFY(s.jwtSecret.isEmpty());

    QProcessEnvironment minimal;
    minimal.insert("DATABASE_URL", "postgresql://u@h/d");
    outcome = config::loadSettings(minimal, {"daarion-authd"});
    QVERIFY(outcome.settings.has_value());
    QCOMPARE(outcome.settings->port, 7011);
    QCOMPARE(outcome.settings->rpId, QStringLiteral("localhost"));
    QCOMPARE(outcome.settings->rpName, QStringLiteral("DAARION"));
    QCOMPARE(outcome.settings->allowedOrigins, QStringList({"http://localhost:3000", "https://daarion.city"}));
    QCOMPARE(outcome.settings->challengeTtl.count(), 300);
    QVERIFY(outcome.settings->migrateOnStart);
    QCOMPARE(outcome.settings->cookieSecure, config::CookieSecure::Auto);
    QCOMPARE(outcome.settings->apiKeyTtl.count(), 90 * 86400);
    QVERIFY(outcome.settings->metricsToken.isEmpty());

    outcome = config::loadSettings(minimal, {"daarion-authd", "--help"});
    QVERIFY(outcome.helpRequested);
    for (const char *variable :
         {"PORT", "RP_ID", "ORIGIN", "DATABASE_URL", "TRUSTED_PROXIES", "TLS_CERT",
          "MAX_BODY_BYTES", "WORKER_THREADS", "SWEEP_INTERVAL", "ATTESTATION_ROOTS",
          "COOKIE_SECURE", "API_KEY_TTL", "METRICS_TOKEN"})
        QVERIFY2(config::settingsHelp().contains(QLatin1String(variable)), variable);
}

void HttpPartsTest::settingsRefusals_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::newRow("port") << "PORT" << "-1";
    QTest::newRow("bind") << "BIND_ADDRESS" << "example.com";
    QTest::newRow("rp id") << "RP_ID" << "https://daarion.city";
    QTest::newRow("origin path") << "ORIGIN" << "https://daarion.city/app";
    QTest::newRow("origin scheme") << "ORIGIN" << "ftp://daarion.city";
    QTest::newRow("ttl") << "SESSION_TTL" << "forever";
    QTest::newRow("workers") << "WORKER_THREADS" << "0";
    QTest::newRow("connections") << "MAX_CONNECTIONS" << "lots";
    QTest::newRow("bool") << "MIGRATE_ON_START" << "maybe";
    QTest::newRow("tls pair") << "TLS_KEY" << QFINDTESTDATA("tst_http_parts.cpp");
    QTest::newRow("cookie secure") << "COOKIE_SECURE" << "sometimes";
    QTest::newRow("api key ttl") << "API_KEY_TTL" << "12h"; // keys live whole days, at least one
    QTest::newRow("api key ttl unit") << "API_KEY_TTL" << "forever";
    QTest::newRow("metrics token") << "METRICS_TOKEN" << "short";
}

void HttpPartsTest::settingsRefusals()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QProcessEnvironment env;
    env.insert("DATABASE_URL", "postgresql://u@h/d");
    env.insert(variable, value);
    const config::SettingsOutcome outcome = config::loadSettings(env, {"daarion-authd"});
    QVERIFY(!outcome.settings.has_value());
    QVERIFY2(outcome.error.contains(variable), qPrintable(outcome.error));

    QVERIFY(!config::loadSettings(QProcessEnvironment(), {"daarion-authd"}).settings.has_value()); // DATABASE_URL
    QProcessEnvironment good;
    good.insert("DATABASE_URL", "postgresql://u@h/d");
    QVERIFY(config::loadSettings(good, {"daarion-authd", "--no-such-flag"}).error.contains("--no-such-flag"));
}

void HttpPartsTest::settingsNeverDescribeSecrets()
{
    QProcessEnvironment env;
    env.insert("DATABASE_URL", "postgresql://user:hunter2-password@db/auth");
    env.insert("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!");
    env.insert("METRICS_TOKEN", "the-scrapers-own-token");
    const config::SettingsOutcome outcome = config::loadSettings(env, {"daarion-authd"});
    QVERIFY(outcome.settings.has_value());
    const QString line = config::describeSettings(*outcome.settings);
    QVERIFY(!line.contains("hunter2"));
    QVERIFY(!line.contains("thirty-two"));
    QVERIFY(line.contains("jwt=on"));
    QVERIFY(!line.contains("scrapers-own"));
    QVERIFY(line.contains("metrics=token"));
}

void HttpPartsTest::productionNeedsItsOrigin()
{
    QProcessEnvironment env;
    env.insert("DATABASE_URL", "postgresql://u@h/d");
    env.insert("ENVIRONMENT", "production");
    // Without ORIGIN, production would accept ceremonies from http://localhost:3000.
    config::SettingsOutcome outcome = config::loadSettings(env, {"daarion-authd"});
    QVERIFY(!outcome.settings.has_value());
    QVERIFY2(outcome.error.startsWith("ORIGIN"), qPrintable(outcome.error));
    QVERIFY2(outcome.error.contains("ENVIRONMENT=production"), qPrintable(outcome.error));
    // The flag counts as setting it, and so does the environment.
    outcome = config::loadSettings(env, {"daarion-authd", "--origin", "https://daarion.city"});
    QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
    QCOMPARE(outcome.settings->allowedOrigins, QStringList({"https://daarion.city"}));
    env.insert("ORIGIN", "https://app.daarion.city");
    outcome = config::loadSettings(env, {"daarion-authd"});
    QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
    // An empty variable is "not set" (compose passes ORIGIN= through).
    env.insert("ORIGIN", "");
    QVERIFY(!config::loadSettings(env, {"daarion-authd"}).settings.has_value());
    // Development keeps its default.
    env.insert("ENVIRONMENT", "development");
    outcome = config::loadSettings(env, {"daarion-authd"});
    QVERIFY2(outcome.settings.has_value(), qPrintable(outcome.error));
    QVERIFY(outcome.settings->allowedOrigins.contains("http://localhost:3000"));
}

void HttpPartsTest::errorStatuses()
{
    // API.md "Errors", written out here so that a wrong row in the table fails.
    const QList<QPair<QString, int>> contract = {
        {"invalid_json", 400}, {"invalid_request", 400}, {"challenge_invalid", 400}, {"type_mismatch", 400},
        {"origin_mismatch", 400}, {"rp_id_mismatch", 400}, {"user_presence_required", 400},
        {"user_verification_required", 400}, {"malformed_credential", 400}, {"unsupported_algorithm", 400},
        {"attestation_invalid", 400}, {"backup_flags_invalid", 400}, {"enrollment_invalid", 400},
        {"unauthenticated", 401}, {"invalid_session", 401}, {"unknown_credential", 401}, {"signature_invalid", 401},
        {"token_reused", 401}, {"forbidden", 403}, {"credential_disabled", 403}, {"user_disabled", 403},
        {"counter_regression", 403}, {"enrollment_pending", 403}, {"authenticator_revoked", 403},
        {"csrf_refused", 403}, {"not_found", 404}, {"method_not_allowed", 405}, {"username_taken", 409},
        {"credential_exists", 409}, {"last_credential", 409}, {"payload_too_large", 413}, {"rate_limited", 429},
        {"internal_error", 500}, {"unavailable", 503}};
    QCOMPARE(qsizetype(identity::kErrorTable.size()), contract.size());
    for (const auto &[name, status] : contract) {
        const auto code = identity::errorCodeFromName(name);
        QVERIFY2(code.has_value(), qPrintable(name));
        const ApiResponse response = apiError(*code);
        QCOMPARE(response.status, status);
        const QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(body.value("error").toString(), name);
        QVERIFY2(!body.value("message").toString().isEmpty(), qPrintable(name));
    }
    QVERIFY(!identity::errorCodeFromName(u"no_such_code"));
}

void HttpPartsTest::verifierDetailStaysInTheLog()
{
    // What the verifier found is for developers; the client gets the table's words.
    const ApiResponse response = apiError(webauthn::fail(webauthn::ErrorCode::SignatureInvalid, "flipped byte 17"));
    QCOMPARE(response.status, 401);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(body.value("error").toString(), QStringLiteral("signature_invalid"));
    QCOMPARE(body.value("message").toString(), QStringLiteral("The passkey's signature did not verify."));
    QVERIFY(!response.body.contains("flipped"));
}

QTEST_GUILESS_MAIN(HttpPartsTest)
#include "tst_http_parts.moc"
