// daarion-auth-metadata-bench: imports a FIDO MDS3 BLOB the size of the real
// one (thousands of entries, ~5 MB; generated and signed here with a test
// root, which the import is told to trust through MDS_ROOT_CERT) with the
// real `daarion-authd metadata import`, into a private PostgreSQL holding
// registered passkeys of some of those models, a share of them newly
// revoked. Reports the BLOB's size, the import's wall time and peak RSS (the
// child's ru_maxrss), and, in this process, the time to verify and parse the
// same BLOB. Run it through bench/metadata; no test asserts timings.

#include "shared/metadata/metadata_blob_verifier.h"
#include "shared/store/ceremony_repository.h"
#include "tests/support/daemon_process.h"
#include "tests/support/mds_test_blob.h"
#include "tests/support/test_database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>
#include <sys/wait.h>

using namespace daarion;
using namespace daarion::testing;

namespace {

QUuid modelAaguid(int index)
{
    return QUuid(quint32(0x6d647300 + index), 0x1111, 0x4222, 0x83, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66);
}

// An RSA-free attestation root (P-256, ~450 bytes of DER), like most in MDS.
QByteArray benchRoot(int index)
{
    return TestCa::createRoot(QStringLiteral("Bench Attestation Root %1").arg(index)).certificateDer();
}

// An entry shaped like the real BLOB's: a statement with the usual members, an
// icon (`iconBytes` of image data), one or two attestation roots (models of
// one vendor share them), a few status reports. `revoked`: the latest report
// says REVOKED.
QJsonObject benchEntry(int index, const QList<QByteArray> &roots, int iconBytes, bool revoked)
{
    QStringList statuses{QStringLiteral("FIDO_CERTIFIED"), QStringLiteral("FIDO_CERTIFIED_L1")};
    if (revoked)
        statuses.append(QStringLiteral("REVOKED"));
    const QString icon = QStringLiteral("data:image/png;base64,") +
                         QString::fromLatin1(QByteArray(iconBytes, char(index)).toBase64());
    const qsizetype first = (index / 3) % roots.size(); // three models per vendor root
    QList<QByteArray> entryRoots{roots.at(first)};
    if (index % 2)
        entryRoots.append(roots.at((first + 1) % roots.size()));
    QJsonObject entry = mdsEntry(modelAaguid(index), QStringLiteral("Benchmark Authenticator %1").arg(index), statuses,
                                 icon, entryRoots);
    QJsonObject statement = entry.value(QStringLiteral("metadataStatement")).toObject();
    statement.insert(QStringLiteral("legalHeader"), QStringLiteral("https://fidoalliance.org/metadata/metadata-statement-legal-header/"));
    statement.insert(QStringLiteral("authenticatorVersion"), 5);
    statement.insert(QStringLiteral("upv"), QJsonArray{QJsonObject{{QStringLiteral("major"), 1}, {QStringLiteral("minor"), 1}}});
    statement.insert(QStringLiteral("authenticationAlgorithms"), QJsonArray{QStringLiteral("secp256r1_ecdsa_sha256_raw")});
    statement.insert(QStringLiteral("publicKeyAlgAndEncodings"), QJsonArray{QStringLiteral("cose")});
    statement.insert(QStringLiteral("attestationTypes"), QJsonArray{QStringLiteral("basic_full")});
    statement.insert(QStringLiteral("keyProtection"), QJsonArray{QStringLiteral("hardware"), QStringLiteral("secure_element")});
    statement.insert(QStringLiteral("attachmentHint"), QJsonArray{QStringLiteral("external"), QStringLiteral("wired")});
    entry.insert(QStringLiteral("metadataStatement"), statement);
    return entry;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Import a generated FIDO MDS3 BLOB the size of the real one."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("entries"), QStringLiteral("FIDO2 entries in the BLOB (default 2000)."),
                      QStringLiteral("N"), QStringLiteral("2000")});
    parser.addOption({QStringLiteral("passkeys"), QStringLiteral("Registered passkeys, spread over the models (default 2000)."),
                      QStringLiteral("N"), QStringLiteral("2000")});
    parser.addOption({QStringLiteral("icon-bytes"), QStringLiteral("Image bytes per icon (default 300)."),
                      QStringLiteral("N"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("revoked-percent"), QStringLiteral("Share of models the BLOB newly revokes (default 5)."),
                      QStringLiteral("P"), QStringLiteral("5")});
    parser.process(app);
    const int entries = parser.value(QStringLiteral("entries")).toInt();
    const int passkeys = parser.value(QStringLiteral("passkeys")).toInt();
    const int revokedPercent = parser.value(QStringLiteral("revoked-percent")).toInt();
    const int iconBytes = parser.value(QStringLiteral("icon-bytes")).toInt();
    QTextStream out(stdout);

    TestDatabase db;
    if (!db.isReady()) {
        QTextStream(stderr) << "database: " << db.error() << "\n";
        return 1;
    }
    QTemporaryDir dir;

    // The signer (RSA, as the FIDO Alliance signs), and one distinct
    // attestation root per three models.
    const MdsTestSigner signer = MdsTestSigner::create(QStringLiteral("RS256"));
    QList<QByteArray> roots;
    for (int i = 0; i < std::max(1, entries / 3); ++i)
        roots.append(benchRoot(i));
    QJsonArray list;
    for (int i = 0; i < entries; ++i)
        list.append(benchEntry(i, roots, iconBytes, i % 100 < revokedPercent));
    QElapsedTimer timer;
    timer.start();
    const QByteArray blob = signer.sign(mdsPayload(1, QDate::currentDate().addDays(30), list));
    const qint64 signMs = timer.elapsed();
    QFile blobFile(dir.filePath(QStringLiteral("blob.jwt")));
    QFile rootFile(dir.filePath(QStringLiteral("root.pem")));
    if (!blobFile.open(QIODevice::WriteOnly) || !rootFile.open(QIODevice::WriteOnly))
        return 1;
    blobFile.write(blob);
    blobFile.close();
    rootFile.write(signer.rootPem());
    rootFile.close();

    // Passkeys registered with the models, round robin.
    for (int i = 0; i < passkeys; ++i) {
        store::RegistrationCommit commit;
        commit.newUser = {QStringLiteral("bench%1").arg(i), {}, QUuid::createUuid().toRfc4122()};
        commit.passkey.credentialId = QUuid::createUuid().toString(QUuid::Id128);
        commit.passkey.publicKey = QByteArray(77, 'k');
        commit.passkey.aaguid = modelAaguid(i % entries).toRfc4122();
        commit.passkey.alg = -7;
        if (auto done = store::CeremonyRepository(db.database()).completeRegistration(commit); !done) {
            QTextStream(stderr) << "seeding: " << done.error().message << "\n";
            return 1;
        }
    }

    // Verify and parse in this process (what the import does before SQL).
    const auto mdsRoots = metadata::MdsRoots::fromPem(signer.rootPem(), QStringLiteral("bench root"));
    timer.restart();
    auto verified = metadata::verifyMetadataBlob(blob, mdsRoots.value(), QDateTime::currentDateTimeUtc());
    const qint64 verifyMs = timer.elapsed();
    timer.restart();
    auto parsed = metadata::parseMetadataPayload(verified->payload);
    const qint64 parseMs = timer.elapsed();
    if (!parsed) {
        QTextStream(stderr) << "verify: " << parsed.error().message << "\n";
        return 1;
    }

    // The real import, as an operator runs it.
    QProcess import;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DATABASE_URL"), db.url());
    environment.insert(QStringLiteral("MDS_ROOT_CERT"), rootFile.fileName());
    import.setProcessEnvironment(environment);
    timer.restart();
    import.start(DaemonProcess::binary(), {QStringLiteral("metadata"), QStringLiteral("import"), blobFile.fileName()});
    import.waitForFinished(600'000);
    const qint64 importMs = timer.elapsed();
    struct rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage); // the import is the only child reaped
    const QJsonObject result = QJsonDocument::fromJson(import.readAllStandardOutput()).object();
    if (import.exitCode() != 0) {
        QTextStream(stderr) << "import failed: " << import.readAllStandardError() << "\n";
        return 1;
    }

    out << "BLOB: " << blob.size() << " bytes (" << QString::number(blob.size() / 1048576.0, 'f', 2) << " MiB), "
        << entries << " entries, " << roots.size() << " distinct attestation roots, RS256, generated and signed in "
        << signMs << " ms\n"
        << "passkeys registered: " << passkeys << "\n"
        << "in process: verify (JWS, chain, signature) " << verifyMs << " ms, parse (JSON, entries) " << parseMs
        << " ms\n"
        << "daarion-authd metadata import (whole process: start, verify, parse, one transaction): " << importMs
        << " ms wall, peak RSS " << usage.ru_maxrss / 1024 << " MiB\n"
        << "import said: entries " << result.value(QStringLiteral("entries")).toInt() << ", flagged passkeys "
        << result.value(QStringLiteral("flagged_passkeys")).toInt() << "\n";
    return 0;
}
