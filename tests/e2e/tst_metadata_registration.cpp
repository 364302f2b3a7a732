// Authenticator metadata in the passkey flows, on two daemons sharing one
// database: a new passkey is named after its model (FIDO MDS entry or the
// bundled passkey-provider list) and carries `authenticator` and
// `metadata_status`; an import that compromises a model flags its passkeys
// at once for both daemons (METADATA_ACTION=disable disables them and ends
// their sessions); such a model can no longer register (403
// authenticator_revoked); ATTESTATION_POLICY=allow-list admits only the
// listed models, with a trusted attestation.

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "tests/support/daemon_process.h"
#include "tests/support/mds_test_blob.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace daarion::testing;

namespace {

const QUuid kYubiModel = QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-000000000001}"));
const QUuid kDoomedModel = QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-000000000002}"));
const QUuid kBypassModel = QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-000000000003}"));
const QUuid kVendorModel =
    QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-000000000004}"));
const QUuid kOtherVendorModel =
    QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-000000000005}"));
const QUuid kUnknownModel = QUuid::fromString(QStringLiteral("{0d1e2f3a-1111-4000-8000-0000000000ff}"));
const QUuid kGooglePasswordManager = QUuid::fromString(QStringLiteral("{ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4}"));

SoftAuthenticator::Config model(const QUuid &aaguid,
                                AttestationFormat attestation = AttestationFormat::None)
{
    SoftAuthenticator::Config config;
    config.aaguid = aaguid.toRfc4122();
    config.attestation = attestation;
    return config;
}

QJsonArray entries(const QString &doomedStatus, const QString &bypassStatus)
{
    return {mdsEntry(kYubiModel, "DAARION Test Key 5", {"FIDO_CERTIFIED_L2"}, testPngDataUri()),
            mdsEntry(kDoomedModel, "Doomed Key", {"FIDO_CERTIFIED", doomedStatus}),
            mdsEntry(kBypassModel, "Bypass Key", {"FIDO_CERTIFIED", bypassStatus}),
            // MDS knows Google Password Manager too; the bundled list names it.
            mdsEntry(kGooglePasswordManager, "GPM as MDS describes it", {"FIDO_CERTIFIED"})};
}

} // namespace

class MetadataRegistration : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    QTemporaryDir m_dir;
    MdsTestSigner m_signer = MdsTestSigner::create("ES256");
    DaemonProcess m_first;
    DaemonProcess m_second;
    std::vector<std::unique_ptr<PasskeyUser>> m_users;
    int m_counter = 0;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
        QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
        QString describe() const { return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(out, err); }
    };
    Run importBlob(const QJsonObject &payload, const QString &action = "flag")
    {
        QFile blob(m_dir.filePath("blob.jwt"));
        if (!blob.open(QIODevice::WriteOnly))
            qFatal("cannot write the BLOB");
        blob.write(m_signer.sign(payload));
        blob.close();
        QFile root(m_dir.filePath("root.pem"));
        if (!root.open(QIODevice::WriteOnly))
            qFatal("cannot write the root");
        root.write(m_signer.rootPem());
        root.close();
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("DATABASE_URL", m_db.url());
        environment.insert("MDS_ROOT_CERT", root.fileName());
        environment.insert("METADATA_ACTION", action);
        process.setProcessEnvironment(environment);
        process.start(DaemonProcess::binary(), {"metadata", "import", blob.fileName(), "--operator", "mds-test"});
        if (!process.waitForFinished(60'000))
            process.kill();
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    // Signs up a new account on `daemon` with an authenticator of `config`.
    PasskeyUser *user(const DaemonProcess &daemon, SoftAuthenticator::Config config, HttpResponse *response,
                      const QString &deviceName = {})
    {
        auto *person = new PasskeyUser(daemon.baseUrl(), std::move(config));
        m_users.emplace_back(person);
        SoftTweaks tweaks;
        if (!deviceName.isEmpty())
            tweaks.responseJson = [deviceName](QJsonObject &json) { json.insert("device_name", deviceName); };
        *response = person->signUp(QStringLiteral("meta%1").arg(++m_counter), {}, tweaks);
        return person;
    }

    static QJsonObject onlyPasskey(PasskeyUser &person)
    {
        const QJsonArray passkeys = person.get("/auth/passkeys").json().value("passkeys").toArray();
        return passkeys.size() == 1 ? passkeys.first().toObject() : QJsonObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_first.start(m_db.url(), {{"RATE_LIMIT", "off"}}), qPrintable(m_first.failure()));
        QVERIFY2(m_second.start(m_db.url(), {{"RATE_LIMIT", "off"}}), qPrintable(m_second.failure()));
        const Run run = importBlob(mdsPayload(1, QDate(2031, 1, 1), entries("FIDO_CERTIFIED_L1", "FIDO_CERTIFIED_L1")));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    }

    void aPasskeyIsNamedAfterItsModel()
    {
        HttpResponse response;
        PasskeyUser *ana = user(m_first, model(kYubiModel), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject credential = response.json().value("credential").toObject();
        QCOMPARE(credential.value("device_name").toString(), "DAARION Test Key 5");
        const QJsonObject authenticator = credential.value("authenticator").toObject();
        QCOMPARE(authenticator.value("aaguid").toString(), kYubiModel.toString(QUuid::WithoutBraces));
        QCOMPARE(authenticator.value("name").toString(), "DAARION Test Key 5");
        QCOMPARE(authenticator.value("icon_light").toString(), testPngDataUri());
        QCOMPARE(authenticator.value("icon_dark").toString(), testPngDataUri());
        QVERIFY(credential.value("metadata_status").isNull());
        // The same through the list, on the other daemon.
        PasskeyUser elsewhere(m_second.baseUrl());
        elsewhere.token = ana->token;
        const QJsonObject listed = onlyPasskey(elsewhere);
        QCOMPARE(listed.value("authenticator").toObject(), authenticator);
        QVERIFY(listed.value("metadata_status").isNull());
    }

    void theProviderListNamesSyncedPasskeys()
    {
        HttpResponse response;
        user(m_first, model(kGooglePasswordManager), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject credential = response.json().value("credential").toObject();
        QCOMPARE(credential.value("device_name").toString(), "Google Password Manager");
        const QJsonObject authenticator = credential.value("authenticator").toObject();
        QCOMPARE(authenticator.value("name").toString(), "Google Password Manager"); // the list wins over MDS
        QVERIFY(authenticator.value("icon_light").toString().startsWith("data:image/svg+xml;base64,"));
        QVERIFY(authenticator.value("icon_dark").toString().startsWith("data:image/svg+xml;base64,"));
    }

    void anUnknownModelHasNoAuthenticator()
    {
        HttpResponse response;
        user(m_first, model(kUnknownModel), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject credential = response.json().value("credential").toObject();
        QCOMPARE(credential.value("device_name").toString(), "Passkey");
        QVERIFY(credential.value("authenticator").isNull());
        QCOMPARE(credential.value("aaguid").toString(), kUnknownModel.toString(QUuid::WithoutBraces));
        // An authenticator that names no model (all-zero AAGUID).
        user(m_first, model(QUuid()), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        QVERIFY(response.json().value("credential").toObject().value("authenticator").isNull());
    }

    void aGivenDeviceNameWins()
    {
        HttpResponse response;
        user(m_first, model(kYubiModel), &response, "My desk key");
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject credential = response.json().value("credential").toObject();
        QCOMPARE(credential.value("device_name").toString(), "My desk key");
        QCOMPARE(credential.value("authenticator").toObject().value("name").toString(), "DAARION Test Key 5");
    }

    void anImportFlagsPasskeysForBothDaemonsAndRefusesTheModel()
    {
        HttpResponse response;
        PasskeyUser *bea = user(m_first, model(kDoomedModel), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        PasskeyUser *cid = user(m_second, model(kBypassModel), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        PasskeyUser *dan = user(m_first, model(kYubiModel), &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));

        // No 2: the doomed model is revoked (flag only).
        Run run = importBlob(mdsPayload(2, QDate(2031, 1, 1), entries("REVOKED", "FIDO_CERTIFIED_L1")));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value("flagged_passkeys").toInt(), 1);
        QCOMPARE(run.json().value("disabled_passkeys").toInt(), 0);
        // The other daemon sees it at once: nothing is cached in a process.
        PasskeyUser beaOnSecond(m_second.baseUrl());
        beaOnSecond.token = bea->token;
        QCOMPARE(onlyPasskey(beaOnSecond).value("metadata_status").toString(), "REVOKED");
        QCOMPARE(onlyPasskey(*bea).value("metadata_status").toString(), "REVOKED");
        QCOMPARE(beaOnSecond.get("/auth/me").status, 200); // flagged, not disabled
        QVERIFY(onlyPasskey(*dan).value("metadata_status").isNull());

        // Registering that model is refused, on either daemon, and audited.
        for (DaemonProcess *daemon : {&m_first, &m_second}) {
            user(*daemon, model(kDoomedModel), &response);
            QCOMPARE(response.status, 403);
            QCOMPARE(response.errorCode(), "authenticator_revoked");
        }
        auto rows = m_db.database().run("SELECT count(*) FROM auth_events WHERE event = 'registration_failure'"
                                        " AND error_code = 'authenticator_revoked'");
        QVERIFY(rows && rows.value()->next());
        QCOMPARE(rows.value()->value(0).toInt(), 2);

        // No 3 with METADATA_ACTION=disable: the bypass model's passkey is
        // disabled and its session ended, seen by the first daemon at once.
        run = importBlob(mdsPayload(3, QDate(2031, 1, 1), entries("REVOKED", "USER_VERIFICATION_BYPASS")), "disable");
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value("flagged_passkeys").toInt(), 1);
        QCOMPARE(run.json().value("disabled_passkeys").toInt(), 1);
        QCOMPARE(run.json().value("ended_sessions").toInt(), 1);
        PasskeyUser cidOnFirst(m_first.baseUrl());
        cidOnFirst.token = cid->token;
        QCOMPARE(cidOnFirst.get("/auth/me").status, 401);
        QCOMPARE(cid->signIn(std::nullopt).errorCode(), "credential_disabled");
        // The revoked one, flagged by an earlier import, is not disabled now.
        QCOMPARE(bea->get("/auth/me").status, 200);
        auto flagged = m_db.database().run("SELECT count(*) FROM auth_events WHERE event = 'passkey_flagged'");
        QVERIFY(flagged && flagged.value()->next());
        QCOMPARE(flagged.value()->value(0).toInt(), 2);
    }

    void allowListAdmitsOnlyListedModelsWithTrustedAttestation()
    {
        // Roots of the soft authenticators' attestation CA, as ATTESTATION_ROOTS.
        SoftAuthenticator::Config listed = model(kYubiModel, AttestationFormat::PackedX5c);
        listed.attestationCa = TestCa::createRoot("DAARION Test Allow-List Root");
        QDir().mkpath(m_dir.filePath("roots"));
        QFile root(m_dir.filePath("roots/allow-list-root.pem"));
        QVERIFY(root.open(QIODevice::WriteOnly));
        root.write(listed.attestationCa.certificatePem());
        root.close();
        DaemonProcess strict;
        QVERIFY2(strict.start(m_db.url(), {{"RATE_LIMIT", "off"},
                                           {"ATTESTATION", "direct"},
                                           {"ATTESTATION_ROOTS", m_dir.filePath("roots")},
                                           {"ATTESTATION_POLICY", "allow-list"},
                                           {"ALLOWED_AAGUIDS", kYubiModel.toString(QUuid::WithoutBraces)}}),
                 qPrintable(strict.failure()));
        HttpResponse response;
        user(strict, listed, &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        QCOMPARE(response.json().value("credential").toObject().value("attestation_trusted").toBool(), true);

        // A model not on the list, with a trusted attestation.
        SoftAuthenticator::Config other = model(kUnknownModel, AttestationFormat::PackedX5c);
        other.attestationCa = listed.attestationCa;
        user(strict, other, &response);
        QCOMPARE(response.status, 403);
        QCOMPARE(response.errorCode(), "forbidden");
        // A listed model that proves nothing (no attestation): anyone can claim an AAGUID.
        user(strict, model(kYubiModel), &response);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.errorCode(), "attestation_invalid");
        QCOMPARE(strict.stop(), 0);
    }

    // MDS attestationRootCertificates are trust anchors for their own AAGUID
    // only (RegistrationPolicy::aaguidTrustAnchors), besides ATTESTATION_ROOTS.
    void modelRootsFromMetadataTrustThatModelOnly()
    {
        const TestCa vendor = TestCa::createRoot("DAARION Test Vendor Root");
        QJsonArray list = entries("REVOKED", "USER_VERIFICATION_BYPASS");
        list.append(mdsEntry(kVendorModel, "Vendor Key", {"FIDO_CERTIFIED_L1"}, {},
                             {vendor.certificateDer()}));
        list.append(mdsEntry(kOtherVendorModel, "Other Vendor Key", {"FIDO_CERTIFIED_L1"}));
        const Run run = importBlob(mdsPayload(10, QDate(2031, 1, 1), list));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

        DaemonProcess trusting;
        QVERIFY2(trusting.start(m_db.url(), {{"RATE_LIMIT", "off"},
                                             {"ATTESTATION", "direct"},
                                             {"ATTESTATION_POLICY", "trusted"}}),
                 qPrintable(trusting.failure()));
        SoftAuthenticator::Config vendorKey = model(kVendorModel, AttestationFormat::PackedX5c);
        vendorKey.attestationCa = vendor;
        HttpResponse response;
        user(trusting, vendorKey, &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject credential = response.json().value("credential").toObject();
        QCOMPARE(credential.value("attestation_trusted").toBool(), true);
        QCOMPARE(credential.value("device_name").toString(), "Vendor Key");

        // The same vendor root does not vouch for another model.
        SoftAuthenticator::Config otherKey = model(kOtherVendorModel, AttestationFormat::PackedX5c);
        otherKey.attestationCa = vendor;
        user(trusting, otherKey, &response);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.errorCode(), "attestation_invalid");
        // Nor does a root of another vendor for this model.
        SoftAuthenticator::Config forged = model(kVendorModel, AttestationFormat::PackedX5c);
        forged.attestationCa = TestCa::createRoot("Someone Else's Root");
        user(trusting, forged, &response);
        QCOMPARE(response.errorCode(), "attestation_invalid");
        QCOMPARE(trusting.stop(), 0);

        // Under ATTESTATION_POLICY=any the verdict is recorded.
        user(m_first, vendorKey, &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        QCOMPARE(
            response.json().value("credential").toObject().value("attestation_trusted").toBool(),
            true);
        user(m_first, otherKey, &response);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        QCOMPARE(
            response.json().value("credential").toObject().value("attestation_trusted").toBool(),
            false);
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_first.stop(), 0);
        QCOMPARE(m_second.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(MetadataRegistration)
#include "tst_metadata_registration.moc"
