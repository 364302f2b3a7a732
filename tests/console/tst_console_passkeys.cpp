// The passkeys view against a seeded PostgreSQL: every column, the counter
// regression mark, short and full credential IDs, search and the flagged filter.

#include "console/common/display_format.h"
#include "console/passkeys/passkey_list_model.h"
#include "console/passkeys/passkeys_page.h"
#include "tests/console/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;

class ConsolePasskeysTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;

    static QStringList devices(const PasskeyListModel &model)
    {
        QStringList names;
        for (int row = 0; row < model.rowCount(); ++row)
            names.append(model.passkeyAt(row).passkey.deviceName);
        names.sort();
        return names;
    }

private slots:
    void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }

    void cleanupTestCase() { m_console.stop(); }

    void showsEveryPasskeyWithEveryColumn()
    {
        PasskeysPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const PasskeyListModel &model = *page.model();
        QCOMPARE(devices(model), (strings({"Pixel 8", "Titan", "Work laptop", "YubiKey 5C", "iPhone 15"})));

        const int yubi = model.rowOfPasskey(m_console.seed.aliceYubiKey.id);
        QVERIFY(yubi >= 0);
        auto cell = [&](int row, PasskeyListModel::Column column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(yubi, PasskeyListModel::Owner), QStringLiteral("alice"));
        QCOMPARE(cell(yubi, PasskeyListModel::Algorithm), QStringLiteral("ES256 (-7)"));
        QCOMPARE(cell(yubi, PasskeyListModel::Aaguid),
                 display::aaguid(m_console.seed.aliceYubiKey.aaguid));
        QCOMPARE(cell(yubi, PasskeyListModel::Aaguid).size(), 36);
        QVERIFY(cell(yubi, PasskeyListModel::Attestation).startsWith(QStringLiteral("packed")));
        QCOMPARE(cell(yubi, PasskeyListModel::SignCount), QStringLiteral("5"));
        QCOMPARE(cell(yubi, PasskeyListModel::BackupEligible), QStringLiteral("no"));
        QCOMPARE(cell(yubi, PasskeyListModel::Transports), QStringLiteral("usb, nfc"));
        QVERIFY(!cell(yubi, PasskeyListModel::Created).isEmpty());
        QCOMPARE(cell(yubi, PasskeyListModel::LastUsed), QStringLiteral("never"));
        QCOMPARE(cell(yubi, PasskeyListModel::State), QStringLiteral("enabled"));
        QVERIFY(cell(yubi, PasskeyListModel::Warning).isEmpty());

        const int iphone = model.rowOfPasskey(m_console.seed.aliceIphone.id);
        QCOMPARE(cell(iphone, PasskeyListModel::BackupEligible), QStringLiteral("yes"));
        QCOMPARE(cell(iphone, PasskeyListModel::BackupState), QStringLiteral("backed up"));
        const int laptop = model.rowOfPasskey(m_console.seed.carolLaptop.id);
        QCOMPARE(cell(laptop, PasskeyListModel::Algorithm), QStringLiteral("RS256 (-257)"));
        const int pixel = model.rowOfPasskey(m_console.seed.bobPixel.id);
        QCOMPARE(cell(pixel, PasskeyListModel::Algorithm), QStringLiteral("EdDSA (-8)"));
    }

    void counterRegressionIsMarkedClearly()
    {
        PasskeysPage page(m_console.client(), nullptr);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const PasskeyListModel &model = *page.model();
        const int pixel = model.rowOfPasskey(m_console.seed.bobPixel.id);
        const int yubi = model.rowOfPasskey(m_console.seed.aliceYubiKey.id);
        QVERIFY(model.passkeyAt(pixel).passkey.counterRegressed());
        QVERIFY(model.index(pixel, PasskeyListModel::Warning).data().toString().contains(QStringLiteral("COUNTER REGRESSION")));
        // The whole row stands out, the others do not.
        for (int column = 0; column < PasskeyListModel::ColumnCount; ++column) {
            QVERIFY(model.index(pixel, column).data(Qt::BackgroundRole).value<QBrush>().style() != Qt::NoBrush);
            QVERIFY(!model.index(yubi, column).data(Qt::BackgroundRole).isValid());
        }
        QVERIFY(model.index(pixel, PasskeyListModel::Device).data(Qt::ToolTipRole).toString().contains(QStringLiteral("cloned")));
    }

    void credentialIdIsShortUnlessAskedInFull()
    {
        PasskeysPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const PasskeyListModel &model = *page.model();
        const int yubi = model.rowOfPasskey(m_console.seed.aliceYubiKey.id);
        const QString full = m_console.seed.aliceYubiKey.credentialId;
        QVERIFY(full.size() > 20);
        const QModelIndex id = model.index(yubi, PasskeyListModel::CredentialId);
        QCOMPARE(id.data().toString(), full.left(10) + QChar(0x2026));
        QCOMPARE(id.data(Qt::ToolTipRole).toString(), full);
        QCOMPARE(id.data(PasskeyListModel::FullCredentialIdRole).toString(), full);
        QSignalSpy changed(page.model(), &QAbstractItemModel::dataChanged);
        page.setShowFullCredentialIds(true);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(id.data().toString(), full);
        page.setShowFullCredentialIds(false);
        QCOMPARE(id.data().toString().size(), 11);
    }

    void searchAndFlaggedFilterNarrow()
    {
        PasskeysPage page(m_console.client(), nullptr);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QCOMPARE(page.model()->rowCount(), 5);
        // By owner…
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("alice")); }));
        QCOMPARE(devices(*page.model()), (strings({"YubiKey 5C", "iPhone 15"})));
        // …by device name…
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QStringLiteral("titan")); }));
        QCOMPARE(devices(*page.model()), strings({"Titan"}));
        // …by credential ID.
        QVERIFY(waitForLoad(
            page, [&] { page.setSearchText(m_console.seed.carolLaptop.credentialId.mid(3, 12)); }));
        QCOMPARE(devices(*page.model()), strings({"Work laptop"}));
        QVERIFY(waitForLoad(page, [&] { page.setSearchText(QString()); }));
        QVERIFY(waitForLoad(page, [&] { page.setFlaggedOnly(true); }));
        QCOMPARE(devices(*page.model()), strings({"Pixel 8"}));
    }
};

QTEST_MAIN(ConsolePasskeysTest)
#include "tst_console_passkeys.moc"
