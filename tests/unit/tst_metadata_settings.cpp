// The settings of authenticator metadata and attestation policy
// (MDS_ROOT_CERT, METADATA_ACTION, ATTESTATION_POLICY, ALLOWED_AAGUIDS): what
// each accepts, and that a bad value or a contradiction is refused naming
// the setting.
#include "shared/config/settings.h"

#include <QTemporaryFile>
#include <QTest>

using namespace daarion::config;

namespace
{

SettingsOutcome load(const QList<QPair<QString, QString>> &variables)
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u@h/d"));
    for (const auto &[name, value] : variables)
        environment.insert(name, value);
    return loadSettings(environment, {QStringLiteral("daarion-authd")});
}

const QString kYubiKey = QStringLiteral("cb69481e-8ff7-4039-93ec-0a2729a154a8");
const QString kOther = QStringLiteral("ee882879-721c-4913-9775-3dfcce97072a");

} // namespace

class TestMetadataSettings : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const SettingsOutcome outcome = load({});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->attestationPolicy, AttestationPolicy::Any);
        QVERIFY(outcome.settings->allowedAaguids.isEmpty());
        QVERIFY(outcome.settings->mdsRootCertificateFile.isEmpty()); // the shipped root
        QCOMPARE(outcome.settings->metadataAction, MetadataAction::Flag);
        for (const char *variable :
             {"MDS_ROOT_CERT", "METADATA_ACTION", "ATTESTATION_POLICY", "ALLOWED_AAGUIDS"})
            QVERIFY2(settingsHelp().contains(QLatin1String(variable)), variable);
    }

    void acceptsEachValue()
    {
        QTemporaryFile root;
        QVERIFY(root.open());
        SettingsOutcome outcome =
            load({{QStringLiteral("MDS_ROOT_CERT"), root.fileName()},
                  {QStringLiteral("METADATA_ACTION"), QStringLiteral("disable")},
                  {QStringLiteral("ATTESTATION"), QStringLiteral("direct")},
                  {QStringLiteral("ATTESTATION_POLICY"), QStringLiteral("allow-list")},
                  {QStringLiteral("ALLOWED_AAGUIDS"), kYubiKey + QStringLiteral(", ") +
                                                          kOther.toUpper() + QStringLiteral(",") +
                                                          kYubiKey}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->mdsRootCertificateFile, root.fileName());
        QCOMPARE(outcome.settings->metadataAction, MetadataAction::Disable);
        QCOMPARE(outcome.settings->attestationPolicy, AttestationPolicy::AllowList);
        QCOMPARE(outcome.settings->allowedAaguids,
                 (QList<QUuid>{QUuid::fromString(kYubiKey), QUuid::fromString(kOther)}));
        QVERIFY(
            outcome.settings->requireTrustedAttestation); // an allow-list needs proof of the model
        QVERIFY(describeSettings(*outcome.settings)
                    .contains(QStringLiteral("attestation_policy=allow-list(2)")));

        outcome = load({{QStringLiteral("ATTESTATION"), QStringLiteral("direct")},
                        {QStringLiteral("ATTESTATION_POLICY"), QStringLiteral("trusted")}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->attestationPolicy, AttestationPolicy::Trusted);
        QVERIFY(outcome.settings->requireTrustedAttestation);

        // The older spelling means the same.
        outcome = load({{QStringLiteral("REQUIRE_TRUSTED_ATTESTATION"), QStringLiteral("true")}});
        QVERIFY2(outcome.settings, qPrintable(outcome.error));
        QCOMPARE(outcome.settings->attestationPolicy, AttestationPolicy::Trusted);
    }

    void refusesBadValuesNamingTheSetting_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("action") << "METADATA_ACTION"
                                << "delete";
        QTest::newRow("policy") << "ATTESTATION_POLICY"
                                << "strict";
        QTest::newRow("aaguid") << "ALLOWED_AAGUIDS"
                                << "not-a-uuid";
        QTest::newRow("aaguid in braces") << "ALLOWED_AAGUIDS"
                                          << "{cb69481e-8ff7-4039-93ec-0a2729a154a8}";
        QTest::newRow("root missing") << "MDS_ROOT_CERT"
                                      << "/nonexistent/root.pem";
        QTest::newRow("root a directory") << "MDS_ROOT_CERT"
                                          << "/tmp";
    }
    void refusesBadValuesNamingTheSetting()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        const SettingsOutcome outcome = load({{variable, value}});
        QVERIFY(!outcome.settings);
        QVERIFY2(outcome.error.startsWith(variable), qPrintable(outcome.error));
        Settings settings;
        QVERIFY(applySetting(settings, variable, value).startsWith(variable));
    }

    void refusesContradictions()
    {
        // trusted or allow-list while browsers are asked for no attestation at all
        SettingsOutcome outcome =
            load({{QStringLiteral("ATTESTATION_POLICY"), QStringLiteral("trusted")}});
        QVERIFY(!outcome.settings);
        QVERIFY2(outcome.error.startsWith(QStringLiteral("ATTESTATION_POLICY")),
                 qPrintable(outcome.error));
        // an allow-list that allows nothing
        outcome = load({{QStringLiteral("ATTESTATION"), QStringLiteral("direct")},
                        {QStringLiteral("ATTESTATION_POLICY"), QStringLiteral("allow-list")}});
        QVERIFY(!outcome.settings);
        QVERIFY2(outcome.error.startsWith(QStringLiteral("ALLOWED_AAGUIDS")),
                 qPrintable(outcome.error));
        // a list that no policy reads
        outcome = load({{QStringLiteral("ALLOWED_AAGUIDS"), kYubiKey}});
        QVERIFY(!outcome.settings);
        QVERIFY2(outcome.error.startsWith(QStringLiteral("ALLOWED_AAGUIDS")),
                 qPrintable(outcome.error));
    }

    void applySettingKnowsOnlyTheTable()
    {
        Settings settings;
        QCOMPARE(
            applySetting(settings, QStringLiteral("METADATA_ACTION"), QStringLiteral("disable")),
            QString());
        QCOMPARE(settings.metadataAction, MetadataAction::Disable);
        QVERIFY(applySetting(settings, QStringLiteral("NO_SUCH_SETTING"), QStringLiteral("x"))
                    .contains(QStringLiteral("no such setting")));
    }
};

QTEST_GUILESS_MAIN(TestMetadataSettings)
#include "tst_metadata_settings.moc"
