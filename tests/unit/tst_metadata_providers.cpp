// Names and icons of authenticators: the bundled passkey-provider list
// (shared/metadata/data, compiled in) and how it combines with FIDO MDS
// entries (the list wins for name and icons; MDS fills in the rest).
#include "shared/metadata/authenticator_info.h"
#include "shared/metadata/passkey_providers.h"

#include <QTest>

using namespace daarion::metadata;

namespace
{

const QUuid kGooglePasswordManager =
    QUuid::fromString(QStringLiteral("{ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4}"));
const QUuid kUnlisted = QUuid::fromString(QStringLiteral("{0132d110-bf4e-4208-a403-ab4f5f12efe5}"));
const QString kMdsIcon = QStringLiteral("data:image/png;base64,iVBORw0KGgo=");

} // namespace

class TestMetadataProviders : public QObject
{
    Q_OBJECT

private slots:
    void bundledListLoadsWhole()
    {
        const PasskeyProviders &providers = PasskeyProviders::bundled();
        QVERIFY2(providers.size() >= 50, qPrintable(QString::number(providers.size())));
        QCOMPARE(providers.rejectedRows(), 0); // every row of the shipped file is valid
        const auto google = providers.find(kGooglePasswordManager);
        QVERIFY(google);
        QCOMPARE(google->name, QStringLiteral("Google Password Manager"));
        QVERIFY(google->iconLight.startsWith(QStringLiteral("data:image/svg+xml;base64,")));
        QVERIFY(google->iconDark.startsWith(QStringLiteral("data:image/svg+xml;base64,")));
        QVERIFY(!providers.find(kUnlisted));
        QVERIFY(!providers.find(QUuid()));
    }

    void listWinsForNameAndIcons()
    {
        const auto info = describeAuthenticator(kGooglePasswordManager,
                                                QStringLiteral("Some MDS description"), kMdsIcon);
        QVERIFY(info);
        QCOMPARE(info->aaguid, kGooglePasswordManager);
        QCOMPARE(info->name, QStringLiteral("Google Password Manager"));
        QVERIFY(info->iconLight.startsWith(QStringLiteral("data:image/svg+xml")));
    }

    void mdsNamesWhatTheListLacks()
    {
        const auto info = describeAuthenticator(
            kUnlisted, QStringLiteral("FIDO Alliance Sample FIDO2 Authenticator"), kMdsIcon);
        QVERIFY(info);
        QCOMPARE(info->name, QStringLiteral("FIDO Alliance Sample FIDO2 Authenticator"));
        QCOMPARE(info->iconLight, kMdsIcon);
        QCOMPARE(info->iconDark, kMdsIcon); // one MDS icon for both themes
    }

    void unknownAndZeroAaguidsHaveNoInfo()
    {
        QVERIFY(!describeAuthenticator(kUnlisted, QString(), QString()));
        QVERIFY(!describeAuthenticator(QUuid(), QStringLiteral("x"), kMdsIcon));
        QVERIFY(aaguidFromBytes(QByteArray(16, '\0')).isNull());
        QVERIFY(aaguidFromBytes(QByteArray(15, '\1')).isNull());
        QCOMPARE(aaguidFromBytes(kGooglePasswordManager.toRfc4122()), kGooglePasswordManager);
    }

    void listRowsThatBreakTheShapeAreLeftOut()
    {
        const QByteArray json = R"json({
            "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4": {"name": "Good", "icon_light": "data:image/svg+xml;base64,PHN2Zz4="},
            "not-a-uuid": {"name": "Bad key"},
            "11111111-2222-3333-4444-555555555555": {"icon_light": "data:image/svg+xml;base64,PHN2Zz4="},
            "22222222-2222-3333-4444-555555555555": {"name": "Scripted", "icon_dark": "javascript:alert(1)"},
            "33333333-2222-3333-4444-555555555555": {"name": "PNG", "icon_dark": "data:image/png;base64,iVBO"},
            "44444444-2222-3333-4444-555555555555": "just a string"
        })json";
        const PasskeyProviders providers = PasskeyProviders::fromJson(json);
        QCOMPARE(providers.size(), 1);
        QCOMPARE(providers.rejectedRows(), 5);
        QCOMPARE(providers.find(kGooglePasswordManager)->name, QStringLiteral("Good"));
        QCOMPARE(PasskeyProviders::fromJson("not json").size(), 0);
    }

    void describesWithAGivenList()
    {
        const PasskeyProviders providers = PasskeyProviders::fromJson(
            R"({"0132d110-bf4e-4208-a403-ab4f5f12efe5": {"name": "Listed without icons"}})");
        const auto info =
            describeAuthenticator(kUnlisted, QStringLiteral("MDS name"), kMdsIcon, providers);
        QVERIFY(info);
        QCOMPARE(info->name, QStringLiteral("Listed without icons"));
        QCOMPARE(info->iconLight, kMdsIcon); // the list has none: MDS's icon shows
    }
};

QTEST_GUILESS_MAIN(TestMetadataProviders)
#include "tst_metadata_providers.moc"
