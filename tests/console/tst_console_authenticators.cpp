// Authenticator models in the console, against a seeded PostgreSQL with
// imported FIDO metadata: the Authenticators view (names and icons from MDS
// and the bundled provider list, passkeys per model, statuses, a compromised
// model in red, the chart of passkeys by provider, the stale-metadata
// warning), and the passkeys view's authenticator column, red flagged rows
// and filter by authenticator.

#include "console/authenticators/authenticator_icon.h"
#include "console/authenticators/authenticator_list_model.h"
#include "console/authenticators/authenticators_page.h"
#include "console/authenticators/provider_chart.h"
#include "console/main_window.h"
#include "console/passkeys/passkey_list_model.h"
#include "console/passkeys/passkeys_page.h"
#include "tests/console/console_fixture.h"
#include "tests/support/mds_test_blob.h"

#include "shared/store/metadata_repository.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QComboBox>
#include <QImage>
#include <QTest>

using namespace daarion;
using namespace daarion::console;
using namespace daarion::testing;

namespace {

const QUuid kKeyModel = QUuid::fromString(QStringLiteral("{c0ffee00-0000-4000-8000-000000000001}"));
const QUuid kRevokedModel = QUuid::fromString(QStringLiteral("{c0ffee00-0000-4000-8000-000000000002}"));
const QUuid kUnknownModel = QUuid::fromString(QStringLiteral("{c0ffee00-0000-4000-8000-0000000000ff}"));
const QUuid kGooglePasswordManager = QUuid::fromString(QStringLiteral("{ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4}"));

metadata::MetadataEntry entry(const QUuid &aaguid, const QString &description, const QString &status)
{
    metadata::MetadataEntry e;
    e.aaguid = aaguid;
    e.description = description;
    e.icon = testPngDataUri();
    e.statusReports = {{status, QDate(2024, 1, 1)}};
    e.status = status;
    return e;
}

store::MetadataImportRequest importRequest(bool force)
{
    store::MetadataImportRequest request;
    request.force = force;
    request.context = seedContext();
    return request;
}

} // namespace

class ConsoleAuthenticatorsTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    std::unique_ptr<StoreClient> m_client;
    store::PasskeyRecord m_revokedPasskey;

    void seedPasskey(const QString &username, const QUuid &aaguid, int count = 1)
    {
        for (int i = 0; i < count; ++i) {
            store::NewPasskey passkey =
                newPasskey(username + QString::number(i), username + QStringLiteral(" key"), -7, QStringLiteral("none"),
                           {QStringLiteral("usb")}, false, false);
            passkey.aaguid = aaguid.isNull() ? QByteArray(16, '\0') : aaguid.toRfc4122();
            const auto done = seedUser(m_test->database(), username + QString::number(i), username, passkey);
            if (aaguid == kRevokedModel)
                m_revokedPasskey = done.passkey;
        }
    }

    void import(qint64 no, const QDate &nextUpdate, bool force = false)
    {
        metadata::MetadataBlob blob;
        blob.number = no;
        blob.nextUpdate = nextUpdate;
        blob.entries = {entry(kKeyModel, QStringLiteral("Seed Security Key"), QStringLiteral("FIDO_CERTIFIED_L1")),
                        entry(kRevokedModel, QStringLiteral("Broken Key"), QStringLiteral("REVOKED"))};
        SEED_OK(store::MetadataRepository(m_test->database()).import(blob, importRequest(force)));
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
        seedPasskey(QStringLiteral("keyuser"), kKeyModel, 3);
        seedPasskey(QStringLiteral("gpmuser"), kGooglePasswordManager, 2);
        seedPasskey(QStringLiteral("badkey"), kRevokedModel);
        seedPasskey(QStringLiteral("mystery"), kUnknownModel);
        seedPasskey(QStringLiteral("anonymous"), QUuid());
        m_client = std::make_unique<StoreClient>(m_test->parameters());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_test.reset();
    }

    void warnsWhenNoMetadataWasImported()
    {
        AuthenticatorsPage page(*m_client);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QVERIFY(!page.metadataState());
        QVERIFY2(page.metadataWarning().contains(QStringLiteral("No FIDO metadata imported")),
                 qPrintable(page.metadataWarning()));
        // Names come from the bundled list alone.
        const AuthenticatorListModel &model = *page.model();
        const int gpm = model.rowOfAaguid(kGooglePasswordManager.toRfc4122());
        QCOMPARE(model.index(gpm, AuthenticatorListModel::Name).data().toString(), QStringLiteral("Google Password Manager"));
        const int key = model.rowOfAaguid(kKeyModel.toRfc4122());
        QCOMPARE(model.index(key, AuthenticatorListModel::Name).data().toString(), kKeyModel.toString(QUuid::WithoutBraces));
        QCOMPARE(model.index(key, AuthenticatorListModel::Status).data().toString(), QStringLiteral("not in FIDO metadata"));
    }

    void showsEveryModelWithItsPasskeysAndStatus()
    {
        import(11, QDate::currentDate().addDays(20));
        AuthenticatorsPage page(*m_client);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const AuthenticatorListModel &model = *page.model();
        QCOMPARE(model.rowCount(), 5);
        QVERIFY2(page.metadataWarning().isEmpty(), qPrintable(page.metadataWarning()));
        QCOMPARE(page.metadataState()->number, 11);

        auto cell = [&](int row, AuthenticatorListModel::Column column) { return model.index(row, column).data(); };
        const int key = model.rowOfAaguid(kKeyModel.toRfc4122());
        QCOMPARE(key, 0); // most passkeys first
        QCOMPARE(cell(key, AuthenticatorListModel::Name).toString(), QStringLiteral("Seed Security Key"));
        QCOMPARE(cell(key, AuthenticatorListModel::Passkeys).toInt(), 3);
        QCOMPARE(cell(key, AuthenticatorListModel::Status).toString(), QStringLiteral("FIDO_CERTIFIED_L1"));
        QVERIFY(!model.index(key, AuthenticatorListModel::Name).data(Qt::DecorationRole).value<QIcon>().isNull()); // PNG

        const int gpm = model.rowOfAaguid(kGooglePasswordManager.toRfc4122());
        QCOMPARE(cell(gpm, AuthenticatorListModel::Passkeys).toInt(), 2);
        QVERIFY2(!model.index(gpm, AuthenticatorListModel::Name).data(Qt::DecorationRole).value<QIcon>().isNull(),
                 "the provider's SVG icon did not decode (libqt6svg6 installed?)");

        const int revoked = model.rowOfAaguid(kRevokedModel.toRfc4122());
        QCOMPARE(cell(revoked, AuthenticatorListModel::Name).toString(), QStringLiteral("Broken Key"));
        QCOMPARE(cell(revoked, AuthenticatorListModel::Flagged).toInt(), 1);
        QVERIFY(cell(revoked, AuthenticatorListModel::Status).toString().contains(QStringLiteral("REVOKED")));
        QCOMPARE(model.index(revoked, AuthenticatorListModel::Name).data(Qt::BackgroundRole).value<QBrush>().color(),
                 QColor(0xff, 0xd6, 0xd6));
        QVERIFY(!model.index(key, AuthenticatorListModel::Name).data(Qt::BackgroundRole).isValid());

        const int zero = model.rowOfAaguid(QByteArray(16, '\0'));
        QVERIFY(cell(zero, AuthenticatorListModel::Name).toString().contains(QStringLiteral("not named")));
    }

    void chartsPasskeysByProvider()
    {
        AuthenticatorsPage page(*m_client);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const ProviderChart &chart = *page.chart();
        QCOMPARE(chart.totalPasskeys(), 8);
        QCOMPARE(chart.bars().first().label, QStringLiteral("Seed Security Key"));
        QCOMPARE(chart.bars().first().passkeys, 3);
        bool redBar = false;
        for (const ProviderChart::Bar &bar : chart.bars())
            redBar = redBar || (bar.label == QStringLiteral("Broken Key") && bar.compromised);
        QVERIFY(redBar);
        // It paints, with the compromised model's bar in red.
        page.chart()->resize(600, page.chart()->sizeHint().height());
        const QImage image = page.chart()->grab().toImage();
        bool sawRed = false;
        for (int y = 0; y < image.height() && !sawRed; ++y)
            for (int x = 0; x < image.width() && !sawRed; ++x)
                sawRed = image.pixelColor(x, y) == QColor(0xc6, 0x28, 0x28);
        QVERIFY(sawRed);

        // More providers than bars: the rest are summed as "other".
        ProviderChart many;
        QList<ProviderChart::Bar> bars;
        for (int i = 0; i < 12; ++i)
            bars.append({QStringLiteral("provider %1").arg(i), i + 1, false});
        many.setBars(bars);
        QCOMPARE(many.bars().size(), ProviderChart::kMaxBars + 1);
        QCOMPARE(many.bars().first().passkeys, 12);
        QCOMPARE(many.bars().last().passkeys, 1 + 2 + 3 + 4);
        QCOMPARE(many.totalPasskeys(), 78);
    }

    void passkeysShowTheirModelAndCompromisedOnesInRed()
    {
        PasskeysPage page(*m_client, nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const PasskeyListModel &model = *page.model();
        QCOMPARE(model.rowCount(), 8);
        const int revoked = model.rowOfPasskey(m_revokedPasskey.id);
        QVERIFY(revoked >= 0);
        QCOMPARE(model.index(revoked, PasskeyListModel::Authenticator).data().toString(), QStringLiteral("Broken Key"));
        QVERIFY(model.index(revoked, PasskeyListModel::Warning).data().toString().contains(QStringLiteral("REVOKED")));
        QCOMPARE(model.index(revoked, PasskeyListModel::Owner).data(Qt::BackgroundRole).value<QBrush>().color(),
                 QColor(0xff, 0xd6, 0xd6));
        int named = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString name = model.index(row, PasskeyListModel::Authenticator).data().toString();
            if (name == QStringLiteral("Google Password Manager")) {
                ++named;
                QVERIFY(!model.index(row, PasskeyListModel::Authenticator).data(Qt::DecorationRole).value<QIcon>().isNull());
            }
            if (row != revoked)
                QVERIFY(!model.index(row, PasskeyListModel::Owner).data(Qt::BackgroundRole).isValid());
        }
        QCOMPARE(named, 2);
    }

    void filtersPasskeysByAuthenticator()
    {
        PasskeysPage page(*m_client, nullptr);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        // "All", then every model in use, the all-zero AAGUID ("not named") too.
        QCOMPARE(page.authenticatorFilter()->count(), 1 + 5);
        QVERIFY(page.authenticatorFilter()->findData(QByteArray(16, '\0')) > 0);
        QVERIFY(page.authenticatorFilter()->itemText(1).startsWith(QStringLiteral("Seed Security Key (3)")));
        QVERIFY(waitForLoad(page, [&] { QVERIFY(page.setAuthenticatorFilter(kGooglePasswordManager.toRfc4122())); }));
        QCOMPARE(page.model()->rowCount(), 2);
        for (int row = 0; row < page.model()->rowCount(); ++row)
            QCOMPARE(page.model()->passkeyAt(row).passkey.aaguid, kGooglePasswordManager.toRfc4122());
        QVERIFY(waitForLoad(page, [&] { QVERIFY(page.setAuthenticatorFilter(QByteArray())); }));
        QCOMPARE(page.model()->rowCount(), 8);
        QVERIFY(!page.setAuthenticatorFilter(QUuid::createUuid().toRfc4122()));
    }

    void warnsWhenTheMetadataIsStale()
    {
        import(10, QDate::currentDate().addDays(-3), true);
        ScriptedPrompts prompts;
        MainWindow window(*m_client, OperatorIdentity{QStringLiteral("kate"), true}, &prompts);
        QVERIFY(window.showView(QStringLiteral("authenticators")));
        QVERIFY(MainWindow::viewNames().contains(QStringLiteral("authenticators")));
        QVERIFY(waitForLoad(*window.authenticatorsPage(), [&] { window.authenticatorsPage()->reload(); }));
        const QString warning = window.authenticatorsPage()->metadataWarning();
        QVERIFY2(warning.contains(QStringLiteral("stale")), qPrintable(warning));
        QVERIFY(warning.contains(QDate::currentDate().addDays(-3).toString(Qt::ISODate)));
        QCOMPARE(window.metadataWarningText(), warning); // the status bar says so from every view
    }

    void iconsOnlyFromImageDataUris()
    {
        QVERIFY(!authenticatorIcon(testPngDataUri()).isNull());
        QVERIFY(authenticatorIcon(QStringLiteral("https://example.com/icon.png")).isNull());
        QVERIFY(authenticatorIcon(QStringLiteral("data:image/png;base64,bm90IGEgcG5n")).isNull());
        QVERIFY(authenticatorIcon(QString()).isNull());
    }
};

QTEST_MAIN(ConsoleAuthenticatorsTest)
#include "tst_console_authenticators.moc"
