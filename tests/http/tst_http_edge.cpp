// The daemon's HTTP edge against the real daarion-authd on a real
// PostgreSQL: what a hostile or broken client can send, and that the daemon
// answers correctly and keeps serving others afterwards.

// Settings tables read better as plain literals in a test.
#undef QT_NO_CAST_FROM_ASCII

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace daarion::testing;

namespace {

const QByteArray kAllowedOrigin = "http://localhost:3000";
const QByteArray kOtherOrigin = "https://evil.example";

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

QByteArray jsonPost(const QByteArray &path, const QByteArray &body, const QByteArray &extra = {})
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

} // namespace

class HttpEdgeTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void healthReadyAndMetrics();
    void readyIs503WithoutDatabase();
    void unknownRouteIsJson404();
    void wrongMethodIs405WithAllow();
    void garbageBytesAreRefused();
    void requestLineWithoutVersionIsRefused();
    void requestWithoutHostIsRefused();
    void twoHundredHeaderFieldsAreNotSmuggled();
    void transferEncodingIsRefused();
    void pipelinedRequestsAnswerInOrder();
    void expectContinueIsAnswered();
    void oversizedBodyIs413AndMemoryStaysSmall();
    void silentClientIsCut();
    void tricklingClientIsCut();
    void clientsVanishingWhileOnTheWorkerPool();
    void fullWorkerQueueAnswers503();
    void connectionCap();
    void deeplyNestedJsonIsInvalidJson();
    void corsPreflightAllowedAndRefused();
    void corsHeadersOnlyForAllowedOrigins();
    void rateLimitAnswers429WithRetryAfter();
    void signUpAttemptsLeaveTheOwnersSignInAlone();
    void metricsNeedTheirToken();
    void forwardedForOnlyFromTrustedProxies();
    void tls();
    void badSettingsStopTheStart_data();
    void badSettingsStopTheStart();
    void sigtermStopsCleanly();
    void stillServingAfterAllOfIt();

private:
    // A second daemon on the same database with other settings.
    std::unique_ptr<DaemonProcess> startDaemon(const QMap<QString, QString> &env, const QStringList &args = {});
    void verifyStillServing();

    std::unique_ptr<TestDatabase> m_database;
    DaemonProcess m_daemon; // idle timeout 2 s, 64 KiB bodies, rate limits off
};

void HttpEdgeTest::initTestCase()
{
    QVERIFY2(!TestDatabase::serverUrl().isEmpty(), "DAARION_TEST_PG is not set: these tests need a PostgreSQL server");
    m_database = std::make_unique<TestDatabase>();
    QVERIFY2(m_database->isReady(), qPrintable(m_database->error()));
    QVERIFY2(m_daemon.start(m_database->url(), {{"HTTP_IDLE_TIMEOUT", "2s"},
                                                {"RATE_LIMIT", "off"},
                                                {"MAX_BODY_BYTES", "64k"},
                                                {"WORKER_THREADS", "2"}}),
             qPrintable(m_daemon.failure()));
}

void HttpEdgeTest::cleanupTestCase()
{
    if (m_daemon.isRunning())
        m_daemon.stop();
}

std::unique_ptr<DaemonProcess> HttpEdgeTest::startDaemon(const QMap<QString, QString> &env, const QStringList &args)
{
    auto daemon = std::make_unique<DaemonProcess>();
    QMap<QString, QString> settings = env;
    settings.insert(QStringLiteral("MIGRATE_ON_START"), QStringLiteral("false")); // the first daemon did
    if (!daemon->start(m_database->url(), settings, args))
        qWarning().noquote() << daemon->failure();
    return daemon;
}

void HttpEdgeTest::verifyStillServing()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse health = http.get(QStringLiteral("/health"));
    QVERIFY2(m_daemon.isRunning(), qPrintable(m_daemon.output()));
    QCOMPARE(health.status, 200);
}

void HttpEdgeTest::healthReadyAndMetrics()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse health = http.get(QStringLiteral("/health"));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(health.header("cache-control"), QByteArray("no-store"));

    const HttpResponse ready = http.get(QStringLiteral("/ready"));
    QVERIFY2(ready.status == 200, qPrintable(ready.describe()));

    const HttpResponse metrics = http.get(QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("content-type").startsWith("text/plain"));
    QVERIFY2(metrics.body.contains(R"(daarion_http_requests_total{route="GET /health",status="200"})"),
             metrics.body.constData());
    QVERIFY(metrics.body.contains(R"(daarion_http_request_duration_seconds_bucket{route="GET /ready",le="+Inf"})"));
    QVERIFY(metrics.body.contains("daarion_http_open_connections "));
}

void HttpEdgeTest::readyIs503WithoutDatabase()
{
    // Nothing listens on that port: the process serves, the service is not ready.
    DaemonProcess daemon;
    const QString nowhere = QStringLiteral("postgresql://postgres@127.0.0.1:%1/none").arg(DaemonProcess::freePort());
    QVERIFY2(daemon.start(nowhere, {{"MIGRATE_ON_START", "false"}}), qPrintable(daemon.failure()));
    HttpClient http(daemon.baseUrl());
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    const HttpResponse ready = http.get(QStringLiteral("/ready"));
    QCOMPARE(ready.status, 503);
    QCOMPARE(ready.errorCode(), QStringLiteral("unavailable"));
    { const int code = daemon.stop(); QVERIFY2(code == 0, qPrintable(daemon.output())); }
}

void HttpEdgeTest::unknownRouteIsJson404()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse response = http.get(QStringLiteral("/no/such/route"));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(response.errorCode(), QStringLiteral("not_found"));
    // A POST with a body to an unknown route as well (the body is read, bounded).
    const HttpResponse post = http.post(QStringLiteral("/nowhere"), QJsonObject{{"a", 1}});
    QCOMPARE(post.status, 404);
    QCOMPARE(post.errorCode(), QStringLiteral("not_found"));
}

void HttpEdgeTest::wrongMethodIs405WithAllow()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse response = http.request("DELETE", QStringLiteral("/health"));
    QCOMPARE(response.status, 405);
    QCOMPARE(response.errorCode(), QStringLiteral("method_not_allowed"));
    QCOMPARE(response.header("allow"), QByteArray("GET, OPTIONS"));
}

void HttpEdgeTest::garbageBytesAreRefused()
{
    // A TLS ClientHello's first bytes (with NULs, hence the explicit size).
    static const char garbage[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n";
    const QByteArray received =
        RawConnection::exchange(m_daemon.port(), QByteArray(garbage, sizeof garbage - 1));
    const QList<HttpResponse> responses = parseResponses(received);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 400);
    QCOMPARE(responses.first().errorCode(), QStringLiteral("invalid_request"));
    QCOMPARE(responses.first().header("connection"), QByteArray("close"));
    verifyStillServing();
}

void HttpEdgeTest::requestLineWithoutVersionIsRefused()
{
    for (const QByteArray &line : {QByteArray("GET /health\r\nHost: x\r\n\r\n"), QByteArray("GET /health HTTP/9.9\r\nHost: x\r\n\r\n"),
                                   QByteArray("get /health HTTP/1.1\r\nHost: x\r\n\r\n")}) {
        const QList<HttpResponse> responses = parseResponses(RawConnection::exchange(m_daemon.port(), line));
        QVERIFY2(responses.size() == 1, line.constData());
        QCOMPARE(responses.first().status, 400);
        QCOMPARE(responses.first().errorCode(), QStringLiteral("invalid_request"));
    }
    verifyStillServing();
}

void HttpEdgeTest::requestWithoutHostIsRefused()
{
    const QList<HttpResponse> responses =
        parseResponses(RawConnection::exchange(m_daemon.port(), "GET /health HTTP/1.1\r\nUser-Agent: t\r\n\r\n"));
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 400);
    QVERIFY(responses.first().json().value(QStringLiteral("message")).toString().contains(QStringLiteral("Host")));
    verifyStillServing();
}

void HttpEdgeTest::twoHundredHeaderFieldsAreNotSmuggled()
{
    // Past ~100 fields Qt 6.4 drops every header, Content-Length included, and
    // would read this body as a second request ("GET /smuggled").
    QByteArray fields;
    for (int i = 0; i < 200; ++i)
        fields += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(20, 'v') + "\r\n";
    const QByteArray smuggled = "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const QByteArray request = "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields
                               + "Content-Length: " + QByteArray::number(smuggled.size()) + "\r\n\r\n" + smuggled;
    const QByteArray received = RawConnection::exchange(m_daemon.port(), request);
    const QList<HttpResponse> responses = parseResponses(received);
    QVERIFY2(responses.size() <= 1, received.constData());
    if (responses.size() == 1)
        QCOMPARE(responses.first().status, 400);
    QVERIFY2(!received.contains("smuggled"), received.constData());
    verifyStillServing();
}

void HttpEdgeTest::transferEncodingIsRefused()
{
    const QByteArray request = "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "1a\r\nGET /smuggled HTTP/1.1\r\n\r\n\r\n0\r\n\r\n";
    const QByteArray received = RawConnection::exchange(m_daemon.port(), request);
    const QList<HttpResponse> responses = parseResponses(received);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 400);
    QVERIFY(!received.contains("smuggled"));
}

void HttpEdgeTest::pipelinedRequestsAnswerInOrder()
{
    // /ready runs on the worker pool, /health inline: the answers must still
    // come back in request order.
    RawConnection connection(m_daemon.port());
    QVERIFY(connection.send(get("/ready") + get("/health") + get("/ready") + get("/nothing")
                            + get("/health", "Connection: close\r\n")));
    const QList<HttpResponse> responses = parseResponses(connection.readUntilClosed(5'000));
    QCOMPARE(responses.size(), 5);
    QCOMPARE(responses[0].json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    QCOMPARE(responses[1].json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(responses[2].json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    QCOMPARE(responses[3].status, 404);
    QCOMPARE(responses[4].status, 200);
    QCOMPARE(responses[4].header("connection"), QByteArray("close"));
}

void HttpEdgeTest::expectContinueIsAnswered()
{
    RawConnection connection(m_daemon.port());
    const QByteArray body = R"({"x":1})";
    QVERIFY(connection.send("POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            "Expect: 100-continue\r\nContent-Length: "
                            + QByteArray::number(body.size()) + "\r\n\r\n"));
    const HttpResponse interim = connection.readResponse(2'000);
    QCOMPARE(interim.status, 100);
    QVERIFY(connection.send(body));
    const HttpResponse final = connection.readResponse(2'000);
    QCOMPARE(final.status, 404);
}

void HttpEdgeTest::oversizedBodyIs413AndMemoryStaysSmall()
{
    const qint64 before = m_daemon.residentKiB();
    QVERIFY(before > 0);

    // Declared: refused from Content-Length before any of the body is kept.
    RawConnection declared(m_daemon.port());
    const qint64 fifty = 50LL * 1024 * 1024;
    QVERIFY(declared.send("POST /auth/passkey/register/start HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\nContent-Length: "
                          + QByteArray::number(fifty) + "\r\n\r\n"));
    // The client goes on sending while the answer is on its way.
    const QByteArray chunk(1024 * 1024, 'a');
    qint64 sent = 0;
    while (sent < fifty && declared.send(chunk, 2'000))
        sent += chunk.size();
    const HttpResponse response = declared.readResponse(3'000);
    QVERIFY2(response.status == 413, qPrintable(response.describe()));
    QCOMPARE(response.errorCode(), QStringLiteral("payload_too_large"));
    QCOMPARE(response.header("connection"), QByteArray("close"));
    QVERIFY(declared.waitForClose(5'000));

    // From an allowed origin the refusal carries CORS headers, so the page can read it.
    const QList<HttpResponse> fromPage = parseResponses(RawConnection::exchange(
        m_daemon.port(), "POST /auth/passkey/register/start HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + kAllowedOrigin
                             + "\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n"));
    QCOMPARE(fromPage.size(), 1);
    QCOMPARE(fromPage.first().status, 413);
    QCOMPARE(fromPage.first().header("access-control-allow-origin"), kAllowedOrigin);

    // Undeclared: a body longer than its Content-Length is not buffered
    // beyond the read cap; the connection ends (idle timeout at the latest).
    RawConnection lying(m_daemon.port());
    QVERIFY(lying.send(jsonPost("/nowhere", "{}")));
    qint64 extra = 0;
    while (extra < fifty && lying.send(chunk, 1'000))
        extra += chunk.size();
    QVERIFY(lying.waitForClose(10'000));

    const qint64 after = m_daemon.residentKiB();
    qInfo("daemon RSS: %lld KiB before, %lld KiB after; the 50 MB uploads got %lld MB (declared) and %lld MB "
          "(undeclared) into the socket before being cut",
          before, after, sent / (1024 * 1024), extra / (1024 * 1024));
    QVERIFY2(after - before < 16 * 1024, "the daemon grew by more than 16 MiB");
    verifyStillServing();
}

void HttpEdgeTest::silentClientIsCut()
{
    RawConnection connection(m_daemon.port());
    QVERIFY(connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")); // never finishes
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(connection.waitForClose(8'000), "a silent client was never cut");
    qInfo("silent client cut after %lld ms (HTTP_IDLE_TIMEOUT=2s)", clock.elapsed());
    QVERIFY(clock.elapsed() >= 1'500);

    // An idle keep-alive connection is cut as well, after its answer.
    RawConnection idle(m_daemon.port());
    QVERIFY(idle.send(get("/health")));
    QCOMPARE(idle.readResponse().status, 200);
    QVERIFY(idle.waitForClose(8'000));
    verifyStillServing();
}

void HttpEdgeTest::tricklingClientIsCut()
{
    // One byte every 300 ms is progress to an idle timer, but the head must
    // arrive within HTTP_IDLE_TIMEOUT.
    RawConnection connection(m_daemon.port());
    const QByteArray head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + QByteArray(60, 'a') + "\r\n\r\n";
    QElapsedTimer clock;
    clock.start();
    bool cut = false;
    for (char c : head) {
        if (!connection.send(QByteArray(1, c)) || connection.waitForClose(300)) {
            cut = true;
            break;
        }
    }
    QVERIFY2(cut, "a trickling client was served");
    qInfo("trickling client cut after %lld ms", clock.elapsed());
    QVERIFY(clock.elapsed() < 6'000);
}

void HttpEdgeTest::clientsVanishingWhileOnTheWorkerPool()
{
    // One worker: the /ready requests queue up on the pool, and every client
    // leaves before its answer (Qt 6.4 crashes here with QFuture routes).
    auto daemon = startDaemon({{"WORKER_THREADS", "1"}, {"WORKER_QUEUE_LIMIT", "1000"}});
    QVERIFY(daemon && daemon->isRunning());
    for (int round = 0; round < 5; ++round) {
        std::vector<std::unique_ptr<RawConnection>> clients;
        for (int i = 0; i < 40; ++i) {
            clients.push_back(std::make_unique<RawConnection>(daemon->port()));
            QVERIFY(clients.back()->send(get("/ready") + get("/ready")));
        }
        for (auto &client : clients)
            client->abort();
    }
    QTest::qWait(300);
    QVERIFY2(daemon->isRunning(), qPrintable(daemon->output()));
    HttpClient http(daemon->baseUrl());
    QCOMPARE(http.get(QStringLiteral("/ready")).status, 200);
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }
}

void HttpEdgeTest::fullWorkerQueueAnswers503()
{
    auto daemon = startDaemon({{"WORKER_THREADS", "1"}, {"WORKER_QUEUE_LIMIT", "1"}});
    QVERIFY(daemon && daemon->isRunning());
    std::vector<std::unique_ptr<RawConnection>> clients;
    for (int i = 0; i < 40; ++i)
        clients.push_back(std::make_unique<RawConnection>(daemon->port()));
    for (auto &client : clients)
        QVERIFY(client->send(get("/ready")));
    int ok = 0, busy = 0, other = 0;
    for (auto &client : clients) {
        const HttpResponse response = client->readResponse(5'000);
        if (response.status == 200)
            ++ok;
        else if (response.status == 503 && response.errorCode() == QStringLiteral("unavailable"))
            ++busy;
        else
            ++other;
    }
    qInfo("40 concurrent /ready on 1 worker with a queue of 1: %d answered, %d refused with 503", ok, busy);
    QCOMPARE(other, 0);
    QVERIFY(ok >= 1);
    QVERIFY(busy >= 1);
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }
}

void HttpEdgeTest::connectionCap()
{
    auto daemon = startDaemon({{"MAX_CONNECTIONS", "8"}, {"HTTP_IDLE_TIMEOUT", "10s"}});
    QVERIFY(daemon && daemon->isRunning());
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 8; ++i) {
        held.push_back(std::make_unique<RawConnection>(daemon->port()));
        QVERIFY(held.back()->send(get("/health")));
        QCOMPARE(held.back()->readResponse().status, 200);
    }
    RawConnection ninth(daemon->port());
    ninth.send(get("/health"));
    const QList<HttpResponse> refused = parseResponses(ninth.readUntilClosed(3'000));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().status, 503);
    held.clear(); // their sockets close
    QTest::qWait(200);
    HttpClient http(daemon->baseUrl());
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }
}

void HttpEdgeTest::deeplyNestedJsonIsInvalidJson()
{
    HttpClient http(m_daemon.baseUrl());
    const QByteArray nested = QByteArray(5000, '[') + QByteArray(5000, ']');
    const HttpResponse deep = http.request("POST", QStringLiteral("/auth/passkey/authenticate/start"), nested,
                                           {{"Content-Type", "application/json"}});
    QVERIFY2(deep.status == 400, qPrintable(deep.describe()));
    QCOMPARE(deep.errorCode(), QStringLiteral("invalid_json"));

    const HttpResponse truncated = http.request("POST", QStringLiteral("/auth/passkey/authenticate/start"),
                                                R"({"username": "al)", {{"Content-Type", "application/json"}});
    QCOMPARE(truncated.status, 400);
    QCOMPARE(truncated.errorCode(), QStringLiteral("invalid_json"));

    const HttpResponse nul = http.request("POST", QStringLiteral("/auth/passkey/authenticate/start"),
                                          R"({"username": "al\u0000ice"})", {{"Content-Type", "application/json"}});
    QCOMPARE(nul.status, 400);
    QCOMPARE(nul.errorCode(), QStringLiteral("invalid_json"));
    verifyStillServing();
}

void HttpEdgeTest::corsPreflightAllowedAndRefused()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse allowed = http.request("OPTIONS", QStringLiteral("/auth/passkey/register/start"), {},
                                              {{"Origin", kAllowedOrigin},
                                               {"Access-Control-Request-Method", "POST"},
                                               {"Access-Control-Request-Headers", "content-type"}});
    QCOMPARE(allowed.status, 204);
    QCOMPARE(allowed.header("access-control-allow-origin"), kAllowedOrigin);
    QCOMPARE(allowed.header("access-control-allow-credentials"), QByteArray("true"));
    QVERIFY(allowed.header("access-control-allow-methods").contains("POST"));
    QVERIFY(allowed.header("access-control-allow-headers").contains("Content-Type"));
    QVERIFY(allowed.header("access-control-allow-headers").contains("X-API-Key"));
    QVERIFY(!allowed.header("access-control-max-age").isEmpty());

    const HttpResponse refused = http.request("OPTIONS", QStringLiteral("/auth/passkey/register/start"), {},
                                              {{"Origin", kOtherOrigin}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorCode(), QStringLiteral("forbidden"));
    QVERIFY(refused.header("access-control-allow-origin").isEmpty());

    const HttpResponse unknown = http.request("OPTIONS", QStringLiteral("/no/such/route"), {},
                                              {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(unknown.status, 404);
}

void HttpEdgeTest::corsHeadersOnlyForAllowedOrigins()
{
    HttpClient http(m_daemon.baseUrl());
    const HttpResponse allowed = http.get(QStringLiteral("/health"), {{"Origin", kAllowedOrigin}});
    QCOMPARE(allowed.header("access-control-allow-origin"), kAllowedOrigin);
    QCOMPARE(allowed.header("access-control-allow-credentials"), QByteArray("true"));
    QCOMPARE(allowed.header("vary"), QByteArray("Origin"));

    const HttpResponse other = http.get(QStringLiteral("/health"), {{"Origin", kOtherOrigin}});
    QCOMPARE(other.status, 200);
    QVERIFY(other.header("access-control-allow-origin").isEmpty());
    QVERIFY(other.header("access-control-allow-credentials").isEmpty());
}

void HttpEdgeTest::rateLimitAnswers429WithRetryAfter()
{
    auto daemon = startDaemon({{"RATE_LIMIT", "on"}, {"RATE_LIMIT_IP_BURST", "3"}, {"RATE_LIMIT_IP_PER_MINUTE", "6"},
                               {"RATE_LIMIT_USERNAME_BURST", "2"}, {"RATE_LIMIT_USERNAME_PER_MINUTE", "2"}});
    QVERIFY(daemon && daemon->isRunning());
    HttpClient http(daemon->baseUrl());
    for (int i = 0; i < 3; ++i) {
        const HttpResponse response = http.post(QStringLiteral("/auth/passkey/authenticate/start"), {});
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
    }
    const HttpResponse limited = http.post(QStringLiteral("/auth/passkey/authenticate/start"), {});
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.errorCode(), QStringLiteral("rate_limited"));
    const int retryAfter = limited.header("retry-after").toInt();
    QVERIFY2(retryAfter >= 1 && retryAfter <= 10, limited.header("retry-after").constData());
    // Routes that are not ceremonies are not limited.
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }

    // RATE_LIMIT=off turns it off.
    auto unlimited = startDaemon({{"RATE_LIMIT", "off"}, {"RATE_LIMIT_IP_BURST", "1"}});
    QVERIFY(unlimited && unlimited->isRunning());
    HttpClient free(unlimited->baseUrl());
    for (int i = 0; i < 5; ++i)
        QCOMPARE(free.post(QStringLiteral("/auth/passkey/authenticate/start"), {}).status, 200);
    { const int code = unlimited->stop(); QVERIFY2(code == 0, qPrintable(unlimited->output())); }
}

void HttpEdgeTest::signUpAttemptsLeaveTheOwnersSignInAlone()
{
    // Someone trying to sign up with a taken name must not use up the
    // per-name budget its owner needs to sign in.
    auto daemon = startDaemon({{"RATE_LIMIT", "on"},
                               {"RATE_LIMIT_IP_BURST", "1000"},
                               {"RATE_LIMIT_USERNAME_BURST", "2"},
                               {"RATE_LIMIT_USERNAME_PER_MINUTE", "1"}});
    QVERIFY(daemon && daemon->isRunning());
    PasskeyUser owner(daemon->baseUrl());
    QCOMPARE(owner.signUp("bucket-owner").status, 200);

    PasskeyUser squatter(daemon->baseUrl());
    QCOMPARE(squatter.startSignUp("bucket-owner").errorCode(), QStringLiteral("username_taken"));
    const HttpResponse drained = squatter.startSignUp("bucket-owner");
    QCOMPARE(drained.status, 429); // the sign-up budget of the name is spent…
    QCOMPARE(squatter.startSignUp("bucket-owner").status, 429);

    const HttpResponse start = owner.startSignIn(QStringLiteral("bucket-owner"));
    QVERIFY2(start.status == 200, qPrintable(start.describe())); // …its sign-in budget is not
    QCOMPARE(owner.signIn(QStringLiteral("bucket-owner")).status, 200);
    // Sign-in attempts have a budget of their own too.
    QCOMPARE(owner.startSignIn(QStringLiteral("bucket-owner")).status, 429);
    {
        const int code = daemon->stop();
        QVERIFY2(code == 0, qPrintable(daemon->output()));
    }
}

void HttpEdgeTest::metricsNeedTheirToken()
{
    const QByteArray token = "metrics-token-for-the-scraper-0123456789";
    auto daemon = startDaemon({{"METRICS_TOKEN", QString::fromLatin1(token)}});
    QVERIFY(daemon && daemon->isRunning());
    HttpClient http(daemon->baseUrl());
    const HttpResponse anonymous = http.get(QStringLiteral("/metrics"));
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.errorCode(), QStringLiteral("unauthenticated"));
    QCOMPARE(anonymous.header("www-authenticate"), QByteArray("Bearer"));
    QVERIFY(!anonymous.body.contains("daarion_http"));
    for (const QByteArray &wrong :
         {"Bearer " + token + "x", "Bearer " + token.left(token.size() - 1), QByteArray("Bearer"),
          "Bearer " + token.toUpper(), "Basic " + token.toBase64(), QByteArray(token)}) {
        const HttpResponse refused =
            http.get(QStringLiteral("/metrics"), {{"Authorization", wrong}});
        QVERIFY2(refused.status == 401, wrong.constData());
    }
    const HttpResponse scraped =
        http.get(QStringLiteral("/metrics"), {{"Authorization", "Bearer " + token}});
    QCOMPARE(scraped.status, 200);
    QVERIFY(scraped.body.contains("daarion_http_open_connections "));
    // The scheme's name is case-insensitive (RFC 9110 §11.1).
    QCOMPARE(http.get(QStringLiteral("/metrics"), {{"Authorization", "bearer " + token}}).status,
             200);
    // The rest stays open: a liveness probe carries no token.
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    {
        const int code = daemon->stop();
        QVERIFY2(code == 0, qPrintable(daemon->output()));
    }
}

void HttpEdgeTest::forwardedForOnlyFromTrustedProxies()
{
    // 127.0.0.2 plays the reverse proxy; 127.0.0.1 is an ordinary client.
    // The per-address rate limit shows which address the daemon believed.
    auto daemon = startDaemon({{"RATE_LIMIT", "on"}, {"RATE_LIMIT_IP_BURST", "2"}, {"RATE_LIMIT_IP_PER_MINUTE", "1"},
                               {"TRUSTED_PROXIES", "127.0.0.2/32, 10.0.0.0/8"}});
    QVERIFY(daemon && daemon->isRunning());
    const auto statusFrom = [&](const QHostAddress &from, const QByteArray &forwardedFor) {
        RawConnection connection(daemon->port(), from);
        connection.send(jsonPost("/auth/passkey/authenticate/start", "{}",
                                 forwardedFor.isEmpty() ? QByteArray() : "X-Forwarded-For: " + forwardedFor + "\r\n"));
        return connection.readResponse().status;
    };
    const QHostAddress client(QStringLiteral("127.0.0.1"));
    const QHostAddress proxy(QStringLiteral("127.0.0.2"));

    // Untrusted peer: a new X-Forwarded-For each time does not buy a new budget.
    QCOMPARE(statusFrom(client, "198.51.100.1"), 200);
    QCOMPARE(statusFrom(client, "198.51.100.2"), 200);
    QCOMPARE(statusFrom(client, "198.51.100.3"), 429);

    // Trusted proxy: each forwarded client has its own budget…
    for (int i = 1; i <= 4; ++i)
        QCOMPARE(statusFrom(proxy, "203.0.113." + QByteArray::number(i)), 200);
    // …the right-most untrusted hop counts, not what the client prepended…
    QCOMPARE(statusFrom(proxy, "192.0.2.7, 203.0.113.9, 10.1.2.3"), 200);
    QCOMPARE(statusFrom(proxy, "192.0.2.8, 203.0.113.9"), 200);
    QCOMPARE(statusFrom(proxy, "192.0.2.9, 203.0.113.9"), 429);
    // …and the proxy itself, without the header, is one client like any other.
    QCOMPARE(statusFrom(proxy, {}), 200);
    QCOMPARE(statusFrom(proxy, {}), 200);
    QCOMPARE(statusFrom(proxy, {}), 429);
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }
}

void HttpEdgeTest::tls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certificate = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                   QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), certificate, QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    QVERIFY(openssl.waitForFinished(30'000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAll().constData());

    auto daemon = startDaemon({{"TLS_CERT", certificate}, {"TLS_KEY", key}});
    QVERIFY(daemon && daemon->isRunning());
    QVERIFY(daemon->baseUrl().startsWith(QStringLiteral("https://")));
    HttpClient https(daemon->baseUrl());
    https.trustCertificate(QSslCertificate::fromPath(certificate).first());
    const HttpResponse health = https.get(QStringLiteral("/health"));
    QVERIFY2(health.status == 200, qPrintable(health.describe()));
    const HttpResponse ready = https.get(QStringLiteral("/ready")); // through the worker pool
    QVERIFY2(ready.status == 200, qPrintable(ready.describe()));

    // A client that does not trust the certificate gets no answer.
    HttpClient untrusting(daemon->baseUrl());
    QCOMPARE(untrusting.get(QStringLiteral("/health")).status, 0);
    // Plain HTTP on the TLS port is not served.
    const QByteArray plain = RawConnection::exchange(daemon->port(), get("/health"), 3'000);
    QVERIFY2(!plain.contains("200 OK"), plain.constData());
    { const int code = daemon->stop(); QVERIFY2(code == 0, qPrintable(daemon->output())); }
}

void HttpEdgeTest::badSettingsStopTheStart_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("named");
    QTest::newRow("port") << "PORT" << "70000" << "PORT";
    QTest::newRow("origin") << "ORIGIN" << "localhost:3000" << "ORIGIN";
    QTest::newRow("body cap") << "MAX_BODY_BYTES" << "1g" << "MAX_BODY_BYTES";
    QTest::newRow("idle") << "HTTP_IDLE_TIMEOUT" << "soon" << "HTTP_IDLE_TIMEOUT";
    QTest::newRow("proxies") << "TRUSTED_PROXIES" << "10.0.0.0/99" << "TRUSTED_PROXIES";
    QTest::newRow("tls file") << "TLS_CERT" << "/nonexistent/cert.pem" << "TLS_CERT";
    QTest::newRow("rate limit") << "RATE_LIMIT" << "sometimes" << "RATE_LIMIT";
    QTest::newRow("attestation") << "ATTESTATION" << "indirect" << "ATTESTATION";
    QTest::newRow("jwt") << "JWT_SECRET" << "short" << "JWT_SECRET";
    QTest::newRow("database url") << "DATABASE_URL" << "mysql://x" << "DATABASE_URL";
    // The development default origin must not reach production unnoticed.
    QTest::newRow("production without origin") << "ENVIRONMENT" << "production" << "ORIGIN";
    QTest::newRow("cookie secure") << "COOKIE_SECURE" << "sometimes" << "COOKIE_SECURE";
    QTest::newRow("metrics token") << "METRICS_TOKEN" << "guessable" << "METRICS_TOKEN";
    QTest::newRow("api key ttl") << "API_KEY_TTL" << "forever" << "API_KEY_TTL";
}

void HttpEdgeTest::badSettingsStopTheStart()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, named);
    QMap<QString, QString> env{{QStringLiteral("DATABASE_URL"), m_database->url()},
                               {QStringLiteral("PORT"), QString::number(DaemonProcess::freePort())}};
    env.insert(variable, value);
    const DaemonProcess::Outcome outcome = DaemonProcess::runToExit(env, {});
    QVERIFY2(outcome.finished, "the daemon started despite a bad setting");
    QVERIFY2(outcome.exitCode != 0, qPrintable(outcome.output));
    QVERIFY2(outcome.output.contains(named), qPrintable(outcome.output));

    // A flag overrides the environment, and is checked the same way.
    const DaemonProcess::Outcome flag =
        DaemonProcess::runToExit({{QStringLiteral("DATABASE_URL"), m_database->url()}}, {QStringLiteral("--port"), QStringLiteral("x")});
    QVERIFY(flag.finished);
    QCOMPARE(flag.exitCode, 2);
    QVERIFY(flag.output.contains(QStringLiteral("PORT")));
}

void HttpEdgeTest::sigtermStopsCleanly()
{
    auto daemon = startDaemon({});
    QVERIFY(daemon && daemon->isRunning());
    // A request in flight when the signal arrives is still answered.
    RawConnection connection(daemon->port());
    QVERIFY(connection.send(get("/ready")));
    const int code = daemon->stop();
    QCOMPARE(code, 0);
    QCOMPARE(connection.readResponse(1'000).status, 200);
    QVERIFY2(daemon->output().contains(QStringLiteral("stopped")), qPrintable(daemon->output()));
}

void HttpEdgeTest::stillServingAfterAllOfIt()
{
    verifyStillServing();
    HttpClient http(m_daemon.baseUrl());
    QCOMPARE(http.get(QStringLiteral("/ready")).status, 200);
}

QTEST_GUILESS_MAIN(HttpEdgeTest)
#include "tst_http_edge.moc"
