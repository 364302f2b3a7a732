// Authenticator metadata in PostgreSQL: an import replaces the entries and
// records the BLOB in one transaction; an older BLOB is refused unless forced;
// a refused or failing import changes nothing; passkeys of a model that
// newly carries a compromising status are flagged (and with
// METADATA_ACTION=disable disabled, their sessions ended), each audited;
// a status that stops compromising clears the flag.

#include "shared/store/metadata_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/test_database.h"

using namespace daarion;
using namespace daarion::store;
using namespace daarion::testing;

namespace
{

const QUuid kRevokedModel =
    QUuid::fromString(QStringLiteral("{11111111-aaaa-4bbb-8ccc-000000000001}"));
const QUuid kGoodModel =
    QUuid::fromString(QStringLiteral("{11111111-aaaa-4bbb-8ccc-000000000002}"));
const QUuid kOtherModel =
    QUuid::fromString(QStringLiteral("{11111111-aaaa-4bbb-8ccc-000000000003}"));

metadata::MetadataEntry entry(const QUuid &aaguid, const QString &description,
                              const QString &status)
{
    metadata::MetadataEntry e;
    e.aaguid = aaguid;
    e.description = description;
    e.icon = QStringLiteral("data:image/png;base64,iVBORw0KGgo=");
    e.attestationRoots = {QByteArray("root-der-1"), QByteArray("root-der-2")};
    if (!status.isEmpty()) {
        e.statusReports = {{QStringLiteral("FIDO_CERTIFIED"), QDate(2020, 1, 1)},
                           {status, QDate(2024, 2, 3)}};
        e.status = status;
        e.statusEffectiveDate = QDate(2024, 2, 3);
    }
    return e;
}

metadata::MetadataBlob blob(qint64 no, const QList<metadata::MetadataEntry> &entries)
{
    metadata::MetadataBlob b;
    b.number = no;
    b.nextUpdate = QDate(2031, 5, 1);
    if (no % 2 == 0) // a BLOB may come without legalHeader
        b.legalHeader = QStringLiteral("test");
    b.entries = entries;
    return b;
}

const QDateTime kAt = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);

MetadataImportRequest request(bool force = false,
                              config::MetadataAction action = config::MetadataAction::Flag)
{
    MetadataImportRequest r;
    r.force = force;
    r.action = action;
    r.at = kAt;
    r.context =
        AuditContext{actorForOperator(QStringLiteral("ops-mia")), {}, QStringLiteral("cli")};
    return r;
}

} // namespace

class MetadataStoreTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Database &db() { return m_test->database(); }
    MetadataRepository metadata() { return MetadataRepository(db()); }

    // A user whose one passkey names `aaguid`, with a live session made by it.
    RegistrationOutcome userWith(const QString &username, const QUuid &aaguid)
    {
        RegistrationCommit commit;
        commit.newUser = {username, username, randomBytes(32)};
        commit.passkey = newPasskey();
        commit.passkey.aaguid = aaguid.toRfc4122();
        commit.sessionTokenHash = randomBytes(32);
        commit.sessionLifetime = std::chrono::hours(1);
        auto done = CeremonyRepository(db()).completeRegistration(commit);
        if (!done)
            qFatal("sign-up failed: %s", qPrintable(done.error().message));
        return done.value();
    }

    PasskeyRecord reload(const PasskeyRecord &passkey)
    {
        auto found = PasskeyRepository(db()).findById(passkey.id);
        if (!found)
            qFatal("passkey gone: %s", qPrintable(found.error().message));
        return found.value();
    }

    qint64 liveSessions(const QUuid &passkeyId)
    {
        return countRows(
            db(),
            QStringLiteral(
                "SELECT count(*) FROM sessions WHERE passkey_id = ?::uuid AND revoked_at IS NULL"),
            {passkeyId});
    }

    void reset()
    {
        QCOMPARE(
            m_test->exec(QStringLiteral("DELETE FROM metadata_entries; DELETE FROM metadata_blob;"
                                        " DELETE FROM users;")),
            QString());
    }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
    }
    void cleanupTestCase() { m_test.reset(); }
    void init() { reset(); }

    void importsEntriesAndTheBlobsState()
    {
        auto before = metadata().state();
        QVERIFY_STORE(before);
        QVERIFY(!before->has_value());

        auto imported =
            metadata().import(blob(7, {entry(kGoodModel, QStringLiteral("Good Key"),
                                             QStringLiteral("FIDO_CERTIFIED_L1")),
                                       entry(kOtherModel, QStringLiteral("Other Key"), QString())}),
                              request());
        QVERIFY_STORE(imported);
        QCOMPARE(imported->number, 7);
        QVERIFY(!imported->previousNumber);
        QCOMPARE(imported->entries, 2);
        QCOMPARE(imported->flaggedPasskeys, 0);

        auto state = metadata().state();
        QVERIFY_STORE(state);
        QVERIFY(state->has_value());
        QCOMPARE((*state)->number, 7);
        QCOMPARE((*state)->nextUpdate, QDate(2031, 5, 1));
        QCOMPARE((*state)->entries, 2);
        QCOMPARE((*state)->importedAt, kAt);
        QCOMPARE((*state)->importedBy, QStringLiteral("operator:ops-mia"));
        QVERIFY(!(*state)->staleAt(QDateTime(QDate(2031, 5, 1), QTime(23, 59), Qt::UTC)));
        QVERIFY((*state)->staleAt(QDateTime(QDate(2031, 5, 2), QTime(0, 0), Qt::UTC)));

        auto good = metadata().findEntry(kGoodModel.toRfc4122());
        QVERIFY_STORE(good);
        QVERIFY(good->has_value());
        QCOMPARE((*good)->description, QStringLiteral("Good Key"));
        QCOMPARE((*good)->status, QStringLiteral("FIDO_CERTIFIED_L1"));
        QCOMPARE((*good)->statusEffectiveDate, QDate(2024, 2, 3));
        QCOMPARE((*good)->attestationRoots, (QList<QByteArray>{"root-der-1", "root-der-2"}));
        QVERIFY(!(*good)->compromised());
        auto other = metadata().findEntry(kOtherModel.toRfc4122());
        QVERIFY_STORE(other);
        QCOMPARE((*other)->status, QString());
        auto missing = metadata().findEntry(kRevokedModel.toRfc4122());
        QVERIFY_STORE(missing);
        QVERIFY(!missing->has_value());
        QVERIFY(!metadata().findEntry(QByteArray(3, 'x'))->has_value());

        auto described = metadata().describe(
            {kGoodModel.toRfc4122(), kRevokedModel.toRfc4122(), kGoodModel.toRfc4122(), {}});
        QVERIFY_STORE(described);
        QCOMPARE(described->size(), 1);
        QCOMPARE(described->value(kGoodModel.toRfc4122()).description, QStringLiteral("Good Key"));
        QCOMPARE(auditCount(db(), QStringLiteral("metadata_imported")), 1);
    }

    void refusesAnOlderOrEqualBlobUnlessForcedAndChangesNothing()
    {
        QVERIFY_STORE(metadata().import(
            blob(10, {entry(kGoodModel, QStringLiteral("Ten"), QString())}), request()));
        const qint64 events = countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events"));
        for (qint64 no : {10, 9, 0}) {
            QCOMPARE_KIND(
                metadata().import(blob(no, {entry(kOtherModel, QStringLiteral("Old"), QString())}),
                                  request()),
                StoreErrorKind::Conflict);
        }
        QCOMPARE(metadata().state()->value().number, 10);
        QCOMPARE(metadata().findEntry(kGoodModel.toRfc4122())->value().description,
                 QStringLiteral("Ten"));
        QVERIFY(!metadata().findEntry(kOtherModel.toRfc4122())->has_value());
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")), events);

        // --force: an operator rolls back to an older BLOB on purpose.
        auto forced = metadata().import(
            blob(9, {entry(kOtherModel, QStringLiteral("Nine"), QString())}), request(true));
        QVERIFY_STORE(forced);
        QCOMPARE(*forced->previousNumber, 10);
        QCOMPARE(metadata().state()->value().number, 9);
        QVERIFY(!metadata().findEntry(kGoodModel.toRfc4122())->has_value()); // replaced, not merged
        QCOMPARE(metadata().findEntry(kOtherModel.toRfc4122())->value().description,
                 QStringLiteral("Nine"));
    }

    void aFailingImportRollsBackEverything()
    {
        const RegistrationOutcome alice = userWith(QStringLiteral("alice"), kRevokedModel);
        QVERIFY_STORE(metadata().import(
            blob(1, {entry(kGoodModel, QStringLiteral("One"), QString())}), request()));
        const qint64 events = countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events"));
        // The database refuses the second entry (an icon beyond the column's bound)
        // after the first was written: nothing of the import may remain.
        metadata::MetadataEntry broken = entry(kOtherModel, QStringLiteral("Broken"), QString());
        broken.icon = QString(600 * 1024, QLatin1Char('A'));
        auto failed = metadata().import(
            blob(2, {entry(kRevokedModel, QStringLiteral("Revoked"), QStringLiteral("REVOKED")),
                     broken}),
            request(false, config::MetadataAction::Disable));
        QVERIFY(!failed);
        QCOMPARE(metadata().state()->value().number, 1);
        QCOMPARE(metadata().findEntry(kGoodModel.toRfc4122())->value().description,
                 QStringLiteral("One"));
        QVERIFY(!metadata().findEntry(kRevokedModel.toRfc4122())->has_value());
        const PasskeyRecord passkey = reload(alice.passkey);
        QCOMPARE(passkey.metadataStatus, QString());
        QVERIFY(!passkey.disabled());
        QCOMPARE(liveSessions(alice.passkey.id), 1);
        QCOMPARE(countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")), events);
    }

    void flagsPasskeysOfANewlyCompromisedModelOnce()
    {
        const RegistrationOutcome alice = userWith(QStringLiteral("alice"), kRevokedModel);
        const RegistrationOutcome bob = userWith(QStringLiteral("bob"), kRevokedModel);
        const RegistrationOutcome carol = userWith(QStringLiteral("carol"), kGoodModel);
        const qint64 flaggedBefore = auditCount(db(), QStringLiteral("passkey_flagged"));
        QVERIFY_STORE(metadata().import(
            blob(1, {entry(kRevokedModel, QStringLiteral("Soon Revoked"),
                           QStringLiteral("FIDO_CERTIFIED")),
                     entry(kGoodModel, QStringLiteral("Good"), QStringLiteral("FIDO_CERTIFIED"))}),
            request()));
        QCOMPARE(reload(alice.passkey).metadataStatus, QString());

        auto revoked = metadata().import(
            blob(2,
                 {entry(kRevokedModel, QStringLiteral("Soon Revoked"), QStringLiteral("REVOKED")),
                  entry(kGoodModel, QStringLiteral("Good"), QStringLiteral("UPDATE_AVAILABLE"))}),
            request());
        QVERIFY_STORE(revoked);
        QCOMPARE(revoked->flaggedPasskeys, 2);
        QCOMPARE(revoked->disabledPasskeys, 0);
        QCOMPARE(revoked->endedSessions, 0);
        for (const RegistrationOutcome &user : {alice, bob}) {
            const PasskeyRecord passkey = reload(user.passkey);
            QCOMPARE(passkey.metadataStatus, QStringLiteral("REVOKED"));
            QVERIFY(!passkey.disabled()); // METADATA_ACTION=flag
            QCOMPARE(liveSessions(user.passkey.id), 1);
        }
        QCOMPARE(reload(carol.passkey).metadataStatus, QString());
        AuditFilter filter;
        filter.events = {QStringLiteral("passkey_flagged")};
        filter.limit = 2;
        auto rows = AuditRepository(db()).query(filter);
        QVERIFY_STORE(rows);
        QCOMPARE(auditCount(db(), QStringLiteral("passkey_flagged")), flaggedBefore + 2);
        for (const AuditRecord &row : *rows) {
            QCOMPARE(row.event.actor, QStringLiteral("operator:ops-mia"));
            QCOMPARE(row.event.details.value(QStringLiteral("metadata_status")).toString(),
                     QStringLiteral("REVOKED"));
            QCOMPARE(row.event.details.value(QStringLiteral("aaguid")).toString(),
                     kRevokedModel.toString(QUuid::WithoutBraces));
            QVERIFY(row.event.passkeyId == alice.passkey.id ||
                    row.event.passkeyId == bob.passkey.id);
        }

        // The next BLOB says the same: nobody is flagged again.
        auto again = metadata().import(blob(3, {entry(kRevokedModel, QStringLiteral("Soon Revoked"),
                                                      QStringLiteral("REVOKED"))}),
                                       request());
        QVERIFY_STORE(again);
        QCOMPARE(again->flaggedPasskeys, 0);
        QCOMPARE(auditCount(db(), QStringLiteral("passkey_flagged")), flaggedBefore + 2);

        // Another compromising status replaces the first, audited once more.
        auto worse =
            metadata().import(blob(4, {entry(kRevokedModel, QStringLiteral("Soon Revoked"),
                                             QStringLiteral("USER_KEY_REMOTE_COMPROMISE"))}),
                              request());
        QVERIFY_STORE(worse);
        QCOMPARE(worse->flaggedPasskeys, 2);
        QCOMPARE(reload(alice.passkey).metadataStatus,
                 QStringLiteral("USER_KEY_REMOTE_COMPROMISE"));

        // A fixed model clears the flag.
        auto fixed = metadata().import(blob(5, {entry(kRevokedModel, QStringLiteral("Soon Revoked"),
                                                      QStringLiteral("UPDATE_AVAILABLE"))}),
                                       request());
        QVERIFY_STORE(fixed);
        QCOMPARE(fixed->clearedPasskeys, 2);
        QCOMPARE(reload(alice.passkey).metadataStatus, QString());
    }

    void eachOfTheFiveStatusesFlags_data()
    {
        QTest::addColumn<QString>("status");
        for (const char *status :
             {"REVOKED", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE",
              "USER_KEY_REMOTE_COMPROMISE", "USER_KEY_PHYSICAL_COMPROMISE"})
            QTest::newRow(status) << QString::fromLatin1(status);
    }
    void eachOfTheFiveStatusesFlags()
    {
        QFETCH(QString, status);
        const RegistrationOutcome dan = userWith(QStringLiteral("dan"), kRevokedModel);
        auto imported = metadata().import(
            blob(1, {entry(kRevokedModel, QStringLiteral("Key"), status)}), request());
        QVERIFY_STORE(imported);
        QCOMPARE(imported->flaggedPasskeys, 1);
        QCOMPARE(reload(dan.passkey).metadataStatus, status);
    }

    void otherStatusesFlagNothing()
    {
        for (const char *status :
             {"NOT_FIDO_CERTIFIED", "UPDATE_AVAILABLE", "RETIRED", "SELF_ASSERTION_SUBMITTED",
              "FIDO_CERTIFIED_L3plus", "SOME_FUTURE_STATUS"}) {
            reset();
            const RegistrationOutcome user = userWith(QStringLiteral("erin"), kRevokedModel);
            auto imported = metadata().import(
                blob(1, {entry(kRevokedModel, QStringLiteral("Key"), QString::fromLatin1(status))}),
                request());
            QVERIFY_STORE(imported);
            QCOMPARE(imported->flaggedPasskeys, 0);
            QCOMPARE(reload(user.passkey).metadataStatus, QString());
        }
    }

    void disableActionDisablesAndEndsTheirSessions()
    {
        const RegistrationOutcome frank = userWith(QStringLiteral("frank"), kRevokedModel);
        const RegistrationOutcome gina = userWith(QStringLiteral("gina"), kGoodModel);
        auto imported = metadata().import(
            blob(1, {entry(kRevokedModel, QStringLiteral("Bad"),
                           QStringLiteral("ATTESTATION_KEY_COMPROMISE")),
                     entry(kGoodModel, QStringLiteral("Good"), QStringLiteral("FIDO_CERTIFIED"))}),
            request(false, config::MetadataAction::Disable));
        QVERIFY_STORE(imported);
        QCOMPARE(imported->flaggedPasskeys, 1);
        QCOMPARE(imported->disabledPasskeys, 1);
        QCOMPARE(imported->endedSessions, 1);
        const PasskeyRecord passkey = reload(frank.passkey);
        QVERIFY(passkey.disabled());
        QCOMPARE(passkey.disabledAt, kAt);
        QCOMPARE(passkey.metadataStatus, QStringLiteral("ATTESTATION_KEY_COMPROMISE"));
        QCOMPARE(liveSessions(frank.passkey.id), 0);
        QCOMPARE(countRows(db(),
                           QStringLiteral("SELECT count(*) FROM sessions WHERE passkey_id = ?::uuid"
                                          " AND revoke_reason = 'passkey_flagged'"),
                           {frank.passkey.id}),
                 1);
        QVERIFY(!reload(gina.passkey).disabled());
        QCOMPARE(liveSessions(gina.passkey.id), 1);
        AuditFilter filter;
        filter.events = {QStringLiteral("passkey_flagged")};
        filter.userId = frank.user.id;
        auto rows = AuditRepository(db()).query(filter);
        QVERIFY_STORE(rows);
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().event.details.value(QStringLiteral("disabled")).toBool(), true);
        QCOMPARE(rows->first().event.details.value(QStringLiteral("sessions_ended")).toInt(), 1);
        auto summary = AuditRepository(db()).query(
            AuditFilter{.events = {QStringLiteral("metadata_imported")}});
        QVERIFY_STORE(summary);
        QCOMPARE(summary->first().event.details.value(QStringLiteral("disabled_passkeys")).toInt(),
                 1);
    }

    void aPasskeyRegisteredAfterTheImportCarriesTheStatus()
    {
        QVERIFY_STORE(metadata().import(
            blob(1, {entry(kRevokedModel, QStringLiteral("Bad"), QStringLiteral("REVOKED"))}),
            request()));
        // The registration path refuses such a model first; should one slip past
        // (an import committing meanwhile), the row is still flagged.
        const RegistrationOutcome late = userWith(QStringLiteral("late"), kRevokedModel);
        QCOMPARE(late.passkey.metadataStatus, QStringLiteral("REVOKED"));
        const RegistrationOutcome fine = userWith(QStringLiteral("fine"), kGoodModel);
        QCOMPARE(fine.passkey.metadataStatus, QString());
    }

    void countsPasskeysPerModel()
    {
        userWith(QStringLiteral("hana1"), kRevokedModel);
        userWith(QStringLiteral("hana2"), kRevokedModel);
        userWith(QStringLiteral("hana3"), kGoodModel);
        QVERIFY_STORE(metadata().import(
            blob(1, {entry(kRevokedModel, QStringLiteral("Bad"), QStringLiteral("REVOKED"))}),
            request()));
        auto models = metadata().authenticatorModels();
        QVERIFY_STORE(models);
        QCOMPARE(models->size(), 2);
        QCOMPARE(models->at(0).aaguid, kRevokedModel.toRfc4122());
        QCOMPARE(models->at(0).passkeys, 2);
        QCOMPARE(models->at(0).flagged, 2);
        QCOMPARE(models->at(0).description, QStringLiteral("Bad"));
        QCOMPARE(models->at(0).status, QStringLiteral("REVOKED"));
        QCOMPARE(models->at(1).aaguid, kGoodModel.toRfc4122());
        QCOMPARE(models->at(1).passkeys, 1);
        QCOMPARE(models->at(1).description, QString()); // not in the BLOB
    }
};

QTEST_GUILESS_MAIN(MetadataStoreTest)
#include "tst_metadata_store.moc"
