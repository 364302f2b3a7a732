// Every input a fuzz target ever failed on (tests/data/broken/, listed in
// index.json with the defect it exposed) goes through its parser again, with
// the fuzz target's input layout (fuzz/README.md), and must get the refusal
// the index names. In the instrumented build this also proves it no longer
// trips ASan or UBSan.
#include "server/http/api_request.h"
#include "server/http/request_head_scanner.h"
#include "shared/identity/error_code.h"
#include "shared/store/database_url.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/client_data.h"
#include "shared/webauthn/cose_key.h"
#include "tests/support/vector_relying_party.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using namespace daarion;
using namespace daarion::webauthn;

namespace
{

const QString kAccepted = QStringLiteral("accepted");

QString dataDirectory()
{
    return qEnvironmentVariable("DAARION_TEST_DATA");
}

const testing::VectorRelyingParty &relyingParty()
{
    static const testing::VectorRelyingParty party(dataDirectory());
    return party;
}

template <typename T> QString verdictOf(const Result<T> &result)
{
    return result ? kAccepted : errorCodeName(result.error().code);
}

// What each fuzz target's parser says about one input: "accepted" or the
// refusal's machine code.
using Parser = std::function<QString(const QByteArray &)>;

QString requestHeadVerdict(const QByteArray &input)
{
    server::RequestHeadScanner scanner{server::HeadLimits{}};
    switch (scanner.feed(input)) {
    case server::RequestHeadScanner::State::Complete:
        return kAccepted;
    case server::RequestHeadScanner::State::Rejected:
        return identity::errorName(scanner.rejection().code).toString();
    case server::RequestHeadScanner::State::NeedMore:
        return QStringLiteral("incomplete");
    }
    return {};
}

QString jsonBodyVerdict(const QByteArray &input)
{
    server::ApiRequest request;
    request.headers.insert("content-type", "application/json");
    request.body = input;
    const server::JsonBody body = request.jsonBody();
    if (body.ok())
        return kAccepted;
    return QJsonDocument::fromJson(body.error->body)
        .object()
        .value(QLatin1StringView("error"))
        .toString();
}

QString databaseUrlVerdict(const QByteArray &input)
{
    const auto parsed = store::parseDatabaseUrl(QString::fromUtf8(input));
    return parsed ? kAccepted : store::storeErrorKindName(parsed.kind());
}

// Keyed by fuzz target name (fuzz/fuzz_<name>.cpp).
const QHash<QString, Parser> &parsers()
{
    static const QHash<QString, Parser> table{
        {QStringLiteral("cbor"), [](const QByteArray &in) { return verdictOf(decodeCbor(in)); }},
        {QStringLiteral("cose_key"),
         [](const QByteArray &in) { return verdictOf(parseCoseKey(in)); }},
        {QStringLiteral("authenticator_data"),
         [](const QByteArray &in) { return verdictOf(parseAuthenticatorData(in)); }},
        {QStringLiteral("client_data"),
         [](const QByteArray &in) { return verdictOf(parseClientData(in)); }},
        {QStringLiteral("attestation_object"),
         [](const QByteArray &in) { return verdictOf(relyingParty().verifyAttestation(in)); }},
        {QStringLiteral("registration_response"),
         [](const QByteArray &in) { return verdictOf(relyingParty().registerResponse(in)); }},
        {QStringLiteral("assertion_response"),
         [](const QByteArray &in) { return verdictOf(relyingParty().authenticateResponse(in)); }},
        {QStringLiteral("request_head"), requestHeadVerdict},
        {QStringLiteral("json_body"), jsonBodyVerdict},
        {QStringLiteral("database_url"), databaseUrlVerdict},
    };
    return table;
}

QString brokenDirectory()
{
    return dataDirectory() + QStringLiteral("/broken");
}

QJsonObject index()
{
    QFile file(brokenDirectory() + QStringLiteral("/index.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestBrokenInputs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (dataDirectory().isEmpty())
            QFAIL("DAARION_TEST_DATA is not set (run through CTest)");
        QVERIFY2(!index().isEmpty(), "tests/data/broken/index.json is missing or empty");
    }

    // A fixture nobody listed would never run; a listed one that is gone
    // would pass silently.
    void everyFixtureIsListedAndEveryListedOneExists()
    {
        const QStringList files =
            QDir(brokenDirectory()).entryList({QStringLiteral("*.bin")}, QDir::Files);
        const QStringList listed = index().keys();
        QCOMPARE(QSet<QString>(files.begin(), files.end()),
                 QSet<QString>(listed.begin(), listed.end()));
    }

    void fixtureIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("parser");
        QTest::addColumn<QString>("refusal");
        const QJsonObject entries = index();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            const QJsonObject entry = it.value().toObject();
            QTest::newRow(qPrintable(it.key()))
                << it.key() << entry.value(QLatin1StringView("parser")).toString()
                << entry.value(QLatin1StringView("refusal")).toString();
        }
    }

    void fixtureIsRefused()
    {
        QFETCH(QString, file);
        QFETCH(QString, parser);
        QFETCH(QString, refusal);
        QVERIFY2(parsers().contains(parser),
                 qPrintable(QStringLiteral("no parser named ") + parser));
        QFile input(brokenDirectory() + QLatin1Char('/') + file);
        QVERIFY(input.open(QIODevice::ReadOnly));
        QCOMPARE(parsers().value(parser)(input.readAll()), refusal);
    }
};

QTEST_GUILESS_MAIN(TestBrokenInputs)
#include "tst_broken_inputs.moc"
