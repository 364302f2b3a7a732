// The WebAuthn Level 3 settings (RELATED_ORIGINS, TOP_ORIGINS, PASSKEY_HINTS):
// what each accepts and how it is normalised, and that a bad value is
// refused naming the setting. tst_level3_features starts the daemon with them.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "shared/config/settings.h"

#include <QTest>

using namespace daarion;
using webauthn::PublicKeyCredentialHint;

namespace
{

config::SettingsOutcome load(const QMap<QString, QString> &values, const QStringList &flags = {})
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u@h/d"));
    for (auto it = values.begin(); it != values.end(); ++it)
        env.insert(it.key(), it.value());
    return config::loadSettings(env, QStringList{QStringLiteral("daarion-authd")} + flags);
}

} // namespace

class TestLevel3Settings : public QObject
{
    Q_OBJECT

private slots:
    void unsetByDefault()
    {
        const auto outcome = load({});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QVERIFY(outcome.settings->relatedOrigins.isEmpty());
        QVERIFY(outcome.settings->topOrigins.isEmpty());
        QVERIFY(outcome.settings->passkeyHints.isEmpty());
        QCOMPARE(outcome.settings->ceremonyOrigins(), outcome.settings->allowedOrigins);
        const QString line = config::describeSettings(*outcome.settings);
        QVERIFY2(line.contains(QStringLiteral("related_origins=none")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("top_origins=none")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("passkey_hints=none")), qPrintable(line));
        for (const char *variable : {"RELATED_ORIGINS", "TOP_ORIGINS", "PASSKEY_HINTS"})
            QVERIFY2(config::settingsHelp().contains(QLatin1String(variable)), variable);
    }

    void relatedOriginsAreNormalisedHttpsOrigins()
    {
        const auto outcome =
            load({{QStringLiteral("ORIGIN"), QStringLiteral("https://daarion.city")},
                  {QStringLiteral("RELATED_ORIGINS"),
                   QStringLiteral(" HTTPS://Daarion.App:443/, https://daarion.city,"
                                  "https://daarion.app, https://shop.daarion.io:8443")}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->relatedOrigins,
                 QStringList({"https://daarion.app", "https://daarion.city",
                              "https://shop.daarion.io:8443"}));
        // ORIGIN first, each origin once.
        QCOMPARE(outcome.settings->ceremonyOrigins(),
                 QStringList({"https://daarion.city", "https://daarion.app",
                              "https://shop.daarion.io:8443"}));
        QVERIFY(config::describeSettings(*outcome.settings)
                    .contains(QStringLiteral(
                        "related_origins=https://daarion.app,https://daarion.city,")));
    }

    void topOriginsTakeHttpToo()
    {
        const auto outcome =
            load({{QStringLiteral("TOP_ORIGINS"),
                   QStringLiteral("http://localhost:8080, https://portal.daarion.city/")}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->topOrigins,
                 QStringList({"http://localhost:8080", "https://portal.daarion.city"}));
        // A top origin is where the page is embedded, not where a ceremony runs.
        QVERIFY(
            !outcome.settings->ceremonyOrigins().contains(QStringLiteral("http://localhost:8080")));
    }

    void hintsKeepTheirOrder()
    {
        auto outcome =
            load({{QStringLiteral("PASSKEY_HINTS"), QStringLiteral("hybrid, Security-Key")}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->passkeyHints,
                 QList<PublicKeyCredentialHint>(
                     {PublicKeyCredentialHint::Hybrid, PublicKeyCredentialHint::SecurityKey}));
        QVERIFY(config::describeSettings(*outcome.settings)
                    .contains(QStringLiteral("passkey_hints=hybrid,security-key")));

        outcome = load({}, {QStringLiteral("--passkey-hints"), QStringLiteral("client-device")});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->passkeyHints,
                 QList<PublicKeyCredentialHint>({PublicKeyCredentialHint::ClientDevice}));
        for (const auto &spec : webauthn::kPublicKeyCredentialHints)
            QCOMPARE(webauthn::hintFromName(QString::fromLatin1(spec.name)),
                     std::optional(spec.hint));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("why");
        QTest::newRow("related over http") << "RELATED_ORIGINS"
                                           << "http://daarion.app"
                                           << "not an https origin";
        QTest::newRow("related with a path") << "RELATED_ORIGINS"
                                             << "https://daarion.app/login"
                                             << "not an origin";
        QTest::newRow("related not a url") << "RELATED_ORIGINS"
                                           << "daarion.app"
                                           << "not an origin";
        QTest::newRow("top with a path") << "TOP_ORIGINS"
                                         << "https://portal.daarion.city/embed"
                                         << "not an origin";
        QTest::newRow("top scheme") << "TOP_ORIGINS"
                                    << "ftp://portal.daarion.city"
                                    << "not an origin";
        QTest::newRow("unknown hint") << "PASSKEY_HINTS"
                                      << "security-key,phone"
                                      << "'phone'";
        QTest::newRow("hint twice") << "PASSKEY_HINTS"
                                    << "hybrid,HYBRID"
                                    << "twice";
    }

    void refusals()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, why);
        const auto outcome = load({{variable, value}});
        QVERIFY(!outcome.settings);
        QVERIFY2(outcome.error.startsWith(variable), qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(why), qPrintable(outcome.error));
    }
};

QTEST_APPLESS_MAIN(TestLevel3Settings)
#include "tst_level3_settings.moc"
