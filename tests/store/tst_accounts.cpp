// What users and operators do to accounts: passkey rename / delete (the last
// one refused, even when two deletes race) / disable, user listing and
// disabling, memberships, API keys; each change with its audit row naming
// the actor, and a failed change with no audit row.

#include "shared/store/api_key_repository.h"
#include "shared/store/audit_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/user_repository.h"
#include "tests/store/store_fixtures.h"
#include "tests/support/racing_threads.h"
#include "tests/support/test_database.h"

using namespace daarion::store;
using namespace daarion::testing;

class AccountsTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_test;
    Database &db() { return m_test->database(); }
    const AuditContext m_operator{actorForOperator(QStringLiteral("ops-anna")), QStringLiteral("10.1.1.1"),
                                  QStringLiteral("console")};

    qint64 events() { return countRows(db(), QStringLiteral("SELECT count(*) FROM auth_events")); }

private slots:
    void initTestCase()
    {
        m_test = std::make_unique<TestDatabase>();
        QVERIFY2(m_test->isReady(), qPrintable(m_test->error()));
    }
    void cleanupTestCase() { m_test.reset(); }

    void renameOnlyOwnPasskey()
    {
        auto alice = signUp(db(), QStringLiteral("alice"));
        auto bob = signUp(db(), QStringLiteral("bob"));
        QVERIFY_STORE(alice);
        QVERIFY_STORE(bob);
        PasskeyRepository passkeys(db());
        const qint64 before = events();
        QCOMPARE_KIND(passkeys.rename(alice->passkey.id, bob->user.id, QStringLiteral("Mine now"), {}),
                      StoreErrorKind::NotFound);
        QCOMPARE_KIND(passkeys.rename(alice->passkey.id, alice->user.id, QString(65, QLatin1Char('n')), {}),
                      StoreErrorKind::InvalidInput);
        QCOMPARE(events(), before);
        auto renamed = passkeys.rename(alice->passkey.id, alice->user.id, QStringLiteral("YubiKey 5"),
                                       AuditContext{.actor = actorForUser(alice->user.id)});
        QVERIFY_STORE(renamed);
        QCOMPARE(renamed->deviceName, QStringLiteral("YubiKey 5"));
        QCOMPARE(events(), before + 1);
        AuditFilter filter;
        filter.events = {QStringLiteral("passkey_renamed")};
        auto rows = AuditRepository(db()).query(filter);
        QVERIFY_STORE(rows);
        QCOMPARE(rows->first().event.username, QStringLiteral("alice"));
        QCOMPARE(rows->first().event.passkeyId, alice->passkey.id);
    }

    void lastPasskeyCannotBeDeleted()
    {
        auto carl = signUp(db(), QStringLiteral("carl"));
        QVERIFY_STORE(carl);
        PasskeyRepository passkeys(db());
        const qint64 before = events();
        QCOMPARE_KIND(passkeys.remove(carl->passkey.id, carl->user.id, {}), StoreErrorKind::LastCredential);
        QCOMPARE(events(), before);
        auto second = addPasskey(db(), carl->user.id);
        QVERIFY_STORE(second);
        QVERIFY_STORE(passkeys.remove(carl->passkey.id, carl->user.id, AuditContext{.actor = actorForUser(carl->user.id)}));
        QCOMPARE_KIND(passkeys.findById(carl->passkey.id), StoreErrorKind::NotFound);
        QCOMPARE_KIND(passkeys.remove(second->passkey.id, carl->user.id, {}), StoreErrorKind::LastCredential);
        QCOMPARE_KIND(passkeys.remove(carl->passkey.id, carl->user.id, {}), StoreErrorKind::NotFound);
        QCOMPARE(auditCount(db(), QStringLiteral("passkey_deleted")), 1);
    }

    void disabledPasskeysDoNotCountAsAWayIn()
    {
        auto dina = signUp(db(), QStringLiteral("dina"));
        QVERIFY_STORE(dina);
        auto spare = addPasskey(db(), dina->user.id);
        QVERIFY_STORE(spare);
        PasskeyRepository passkeys(db());
        QVERIFY_STORE(passkeys.setDisabled(spare->passkey.id, true, m_operator));
        // The only enabled one stays.
        QCOMPARE_KIND(passkeys.remove(dina->passkey.id, dina->user.id, {}), StoreErrorKind::LastCredential);
        // The disabled one may go.
        QVERIFY_STORE(passkeys.remove(spare->passkey.id, dina->user.id, {}));
    }

    void racingDeletesKeepOnePasskey()
    {
        for (int round = 0; round < 10; ++round) {
            auto user = signUp(db(), QStringLiteral("race_%1").arg(round));
            QVERIFY_STORE(user);
            auto second = addPasskey(db(), user->user.id);
            QVERIFY_STORE(second);
            const QList<QUuid> ids{user->passkey.id, second->passkey.id};
            const QStringList outcomes =
                raceOnDatabase(m_test->parameters(), 2, [&](Database &mine, int i) {
                    return outcomeOf(PasskeyRepository(mine).remove(ids[i], user->user.id, {}));
                });
            QCOMPARE(outcomes.count(QStringLiteral("ok")), 1);
            QCOMPARE(outcomes.count(QStringLiteral("last_credential")), 1);
            auto left = PasskeyRepository(db()).listByUser(user->user.id);
            QVERIFY_STORE(left);
            QCOMPARE(left->size(), 1);
        }
    }

    void passkeyConsoleListing()
    {
        auto erik = signUp(db(), QStringLiteral("erik"));
        QVERIFY_STORE(erik);
        QVERIFY_STORE(PasskeyRepository(db()).flagCounterRegression(erik->passkey.id, 0, m_operator));
        PasskeyQuery query;
        query.flaggedOnly = true;
        auto flagged = PasskeyRepository(db()).list(query);
        QVERIFY_STORE(flagged);
        QCOMPARE(flagged->size(), 1);
        QCOMPARE(flagged->first().username, QStringLiteral("erik"));
        QVERIFY(flagged->first().passkey.counterRegressed());
        QVERIFY_STORE(PasskeyRepository(db()).clearCounterRegression(erik->passkey.id, m_operator));
        flagged = PasskeyRepository(db()).list(query);
        QVERIFY_STORE(flagged);
        QCOMPARE(flagged->size(), 0);
        query = PasskeyQuery();
        query.search = QStringLiteral("eri");
        auto found = PasskeyRepository(db()).list(query);
        QVERIFY_STORE(found);
        QCOMPARE(found->size(), 1);
        query.search = erik->passkey.credentialId.mid(3, 8);
        found = PasskeyRepository(db()).list(query);
        QVERIFY_STORE(found);
        QCOMPARE(found->size(), 1);
    }

    void userListingAndSearch()
    {
        auto fay = signUp(db(), QStringLiteral("fay.search"), randomBytes(32));
        QVERIFY_STORE(fay);
        QVERIFY_STORE(addPasskey(db(), fay->user.id));
        UserQuery query;
        query.search = QStringLiteral("Y.SEA"); // case-insensitive substring
        auto users = UserRepository(db()).list(query);
        QVERIFY_STORE(users);
        QCOMPARE(users->size(), 1);
        QCOMPARE(users->first().user.username, QStringLiteral("fay.search"));
        QCOMPARE(users->first().passkeyCount, 2);
        QCOMPARE(users->first().liveSessionCount, 1);
        query.search = QStringLiteral("_"); // literal underscore, not "any character"
        users = UserRepository(db()).list(query);
        QVERIFY_STORE(users);
        for (const UserSummary &summary : *users)
            QVERIFY(summary.user.username.contains(QLatin1Char('_')) ||
                    summary.user.displayName.contains(QLatin1Char('_')));

        QVERIFY_STORE(UserRepository(db()).setDisabled(fay->user.id, true, m_operator));
        query.search = QStringLiteral("fay");
        query.includeDisabled = false;
        users = UserRepository(db()).list(query);
        QVERIFY_STORE(users);
        QCOMPARE(users->size(), 0);
        auto summary = UserRepository(db()).summary(fay->user.id);
        QVERIFY_STORE(summary);
        QVERIFY(summary->user.disabled());
        QCOMPARE(summary->liveSessionCount, 0);
        auto enabled = UserRepository(db()).setDisabled(fay->user.id, false, m_operator);
        QVERIFY_STORE(enabled);
        QVERIFY(!enabled->disabled());
        AuditFilter filter;
        filter.events = {QStringLiteral("user_disabled"), QStringLiteral("user_enabled")};
        filter.userId = fay->user.id;
        auto rows = AuditRepository(db()).query(filter);
        QVERIFY_STORE(rows);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).eventName, QStringLiteral("user_enabled")); // newest first
        QCOMPARE(rows->at(0).event.actor, QStringLiteral("operator:ops-anna"));
        QCOMPARE(rows->at(1).event.details.value(QStringLiteral("sessions_revoked")).toInt(), 1);
        QCOMPARE_KIND(UserRepository(db()).setDisabled(QUuid::createUuid(), true, m_operator), StoreErrorKind::NotFound);
    }

    void lookups()
    {
        auto gus = signUp(db(), QStringLiteral("gus"));
        QVERIFY_STORE(gus);
        UserRepository users(db());
        QCOMPARE(users.findByUsername(QStringLiteral("gus"))->id, gus->user.id);
        QCOMPARE(users.findByUserHandle(gus->user.userHandle)->id, gus->user.id);
        QCOMPARE(users.findById(gus->user.id)->username, QStringLiteral("gus"));
        QCOMPARE(*users.usernameExists(QStringLiteral("gus")), true);
        QCOMPARE(*users.usernameExists(QStringLiteral("nobody")), false);
        QCOMPARE_KIND(users.findByUsername(QStringLiteral("nobody")), StoreErrorKind::NotFound);
        auto byCredential = PasskeyRepository(db()).findByCredentialId(gus->passkey.credentialId);
        QVERIFY_STORE(byCredential);
        QCOMPARE(byCredential->id, gus->passkey.id);
        auto created = users.createUser(NewUser{QStringLiteral("made_direct"), QString(), randomBytes(32)});
        QVERIFY_STORE(created);
        QCOMPARE_KIND(users.createUser(NewUser{QStringLiteral("made_direct"), QString(), randomBytes(32)}),
                      StoreErrorKind::UsernameTaken);
    }

    void memberships()
    {
        auto hana = signUp(db(), QStringLiteral("hana"));
        auto ivo = signUp(db(), QStringLiteral("ivo"));
        QVERIFY_STORE(hana);
        QVERIFY_STORE(ivo);
        MembershipRepository memberships(db());
        QVERIFY_STORE(memberships.grant(hana->user.id, QStringLiteral("microdao:7"), QStringLiteral("owner"), m_operator));
        QVERIFY_STORE(memberships.grant(ivo->user.id, QStringLiteral("microdao:7"), QStringLiteral("member"), m_operator));
        auto changed = memberships.grant(ivo->user.id, QStringLiteral("microdao:7"), QStringLiteral("admin"),
                                         AuditContext{.actor = actorForService(QStringLiteral("microdao"))});
        QVERIFY_STORE(changed);
        QCOMPARE(changed->role, QStringLiteral("admin"));
        auto ofDao = memberships.listByMicrodao(QStringLiteral("microdao:7"));
        QVERIFY_STORE(ofDao);
        QCOMPARE(ofDao->size(), 2);
        QCOMPARE(ofDao->at(0).username, QStringLiteral("hana"));
        QCOMPARE(ofDao->at(1).role, QStringLiteral("admin"));
        QCOMPARE(memberships.find(ivo->user.id, QStringLiteral("microdao:7"))->role, QStringLiteral("admin"));

        const qint64 before = events();
        QCOMPARE_KIND(memberships.grant(hana->user.id, QStringLiteral("microdao:7"), QStringLiteral("king"), m_operator),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(memberships.grant(hana->user.id, QStringLiteral("dao 7"), QStringLiteral("member"), m_operator),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(memberships.grant(QUuid::createUuid(), QStringLiteral("microdao:7"), QStringLiteral("member"),
                                        m_operator),
                      StoreErrorKind::NotFound);
        QCOMPARE(events(), before); // failed changes leave no audit row

        QVERIFY_STORE(memberships.revoke(ivo->user.id, QStringLiteral("microdao:7"), m_operator));
        QCOMPARE_KIND(memberships.revoke(ivo->user.id, QStringLiteral("microdao:7"), m_operator), StoreErrorKind::NotFound);
        auto ofIvo = memberships.listByUser(ivo->user.id);
        QVERIFY_STORE(ofIvo);
        QVERIFY(ofIvo->isEmpty());
        AuditFilter filter;
        filter.events = {QStringLiteral("membership_granted")};
        filter.userId = ivo->user.id;
        auto granted = AuditRepository(db()).query(filter);
        QVERIFY_STORE(granted);
        QCOMPARE(granted->size(), 2);
        QCOMPARE(granted->first().event.actor, QStringLiteral("service:microdao"));
        QCOMPARE(granted->first().event.details.value(QStringLiteral("previous_role")).toString(), QStringLiteral("member"));
        QCOMPARE(auditCount(db(), QStringLiteral("membership_revoked")), 1);
    }

    void apiKeys()
    {
        auto jan = signUp(db(), QStringLiteral("jan"));
        QVERIFY_STORE(jan);
        QVERIFY_STORE(MembershipRepository(db()).grant(jan->user.id, QStringLiteral("microdao:7"),
                                                       QStringLiteral("admin"), m_operator));
        ApiKeyRepository keys(db());
        const QByteArray hash = QCryptographicHash::hash("dk_secret-one", QCryptographicHash::Sha256);
        NewApiKey key{hash, QStringLiteral("dk_secr"), QStringLiteral("agent"), QStringLiteral("helper-bot"),
                      QStringLiteral("microdao:7"), jan->user.id, {}};
        auto created = keys.create(key, AuditContext{.actor = actorForUser(jan->user.id)});
        QVERIFY_STORE(created);
        QCOMPARE(created->actorId(), QStringLiteral("agent:7/helper-bot"));
        QCOMPARE(created->state, ApiKeyState::Live);
        QVERIFY(!created->issuedByOperator);

        auto found = keys.authenticate(hash);
        QVERIFY_STORE(found);
        QCOMPARE(found->id, created->id);
        QVERIFY_STORE(keys.findById(created->id));
        QVERIFY(keys.findById(created->id)->lastUsedAt.isValid());
        QCOMPARE_KIND(keys.authenticate(QCryptographicHash::hash("dk_other", QCryptographicHash::Sha256)),
                      StoreErrorKind::NotFound);

        // Expired keys do not authenticate.
        const QByteArray oldHash = QCryptographicHash::hash("dk_old", QCryptographicHash::Sha256);
        QVERIFY_STORE(keys.create(NewApiKey{oldHash, QStringLiteral("dk_old"), QStringLiteral("service"),
                                            QStringLiteral("pep"), {}, {},
                                            QDateTime::currentDateTimeUtc().addSecs(-60)},
                                  m_operator));
        QCOMPARE_KIND(keys.authenticate(oldHash), StoreErrorKind::NotFound);

        ApiKeyQuery query;
        query.microdaoId = QStringLiteral("microdao:7");
        auto listed = keys.list(query);
        QVERIFY_STORE(listed);
        QCOMPARE(listed->size(), 1);
        query = ApiKeyQuery();
        query.includeInactive = false;
        listed = keys.list(query);
        QVERIFY_STORE(listed);
        QCOMPARE(listed->size(), 1);

        // An admin of another microDAO cannot revoke it; an operator can.
        QCOMPARE_KIND(keys.revoke(created->id, QStringLiteral("microdao:8"), {}), StoreErrorKind::NotFound);
        auto revoked = keys.revoke(created->id, QString(), m_operator);
        QVERIFY_STORE(revoked);
        QCOMPARE(revoked->state, ApiKeyState::Revoked);
        QCOMPARE_KIND(keys.authenticate(hash), StoreErrorKind::NotFound);
        QCOMPARE_KIND(keys.revoke(created->id, QString(), m_operator), StoreErrorKind::NotFound);
        QCOMPARE(auditCount(db(), QStringLiteral("api_key_created")), 2);
        QCOMPARE(auditCount(db(), QStringLiteral("api_key_revoked")), 1);
        QCOMPARE_KIND(keys.create(key, {}), StoreErrorKind::Conflict); // same hash again
        NewApiKey badName = key;
        badName.keyHash = randomBytes(32);
        badName.actorName = QStringLiteral("bad name!");
        QCOMPARE_KIND(keys.create(badName, {}), StoreErrorKind::InvalidInput);
    }

    void agentsAreNamedWithinTheirMicrodao()
    {
        ApiKeyRecord key;
        key.actorType = QStringLiteral("agent");
        key.actorName = QStringLiteral("router");
        QCOMPARE(key.actorId(), QStringLiteral("agent:router")); // a platform agent
        key.microdaoId = QStringLiteral("microdao:7");
        QCOMPARE(key.actorId(), QStringLiteral("agent:7/router"));
        key.microdaoId = QStringLiteral("microdao:daarion.city");
        QCOMPARE(key.actorId(), QStringLiteral("agent:daarion.city/router"));
        key = ApiKeyRecord{};
        key.actorType = QStringLiteral("service");
        key.actorName = QStringLiteral("messaging-pep");
        QCOMPARE(key.actorId(), QStringLiteral("service:messaging-pep"));

        // The database holds every key to a name that cannot be read two ways.
        auto kim = signUp(db(), QStringLiteral("kim"));
        QVERIFY_STORE(kim);
        ApiKeyRepository keys(db());
        const auto attempt = [&](const QString &type, const QString &name, const QString &microdao,
                                 const QUuid &by) {
            return keys.create(
                NewApiKey{randomBytes(32), QStringLiteral("dk_x"), type, name, microdao, by, {}},
                m_operator);
        };
        QCOMPARE_KIND(attempt(QStringLiteral("agent"), QStringLiteral("7/router"), {}, {}),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(attempt(QStringLiteral("agent"), QStringLiteral("router"),
                              QStringLiteral("microdao:7/x"), {}),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(attempt(QStringLiteral("service"), QStringLiteral("pep"),
                              QStringLiteral("microdao:7"), {}),
                      StoreErrorKind::InvalidInput);
        // A person's key belongs to a microDAO; only operators make platform keys.
        QCOMPARE_KIND(attempt(QStringLiteral("agent"), QStringLiteral("free"), {}, kim->user.id),
                      StoreErrorKind::InvalidInput);
        QCOMPARE_KIND(attempt(QStringLiteral("service"), QStringLiteral("svc"), {}, kim->user.id),
                      StoreErrorKind::InvalidInput);
        auto platform = attempt(QStringLiteral("agent"), QStringLiteral("free"), {}, {});
        QVERIFY_STORE(platform);
        QVERIFY(platform->issuedByOperator);
    }

    void aPersonsKeyAnswersToTheirRoleAtEachUse()
    {
        auto lea = signUp(db(), QStringLiteral("lea"));
        QVERIFY_STORE(lea);
        MembershipRepository memberships(db());
        QVERIFY_STORE(memberships.grant(lea->user.id, QStringLiteral("microdao:11"),
                                        QStringLiteral("owner"), m_operator));
        ApiKeyRepository keys(db());
        const QByteArray hash = randomBytes(32);
        auto made = keys.create(NewApiKey{hash,
                                          QStringLiteral("dk_lea"),
                                          QStringLiteral("agent"),
                                          QStringLiteral("scribe"),
                                          QStringLiteral("microdao:11"),
                                          lea->user.id,
                                          {}},
                                AuditContext{.actor = actorForUser(lea->user.id)});
        QVERIFY_STORE(made);
        const QByteArray operatorHash = randomBytes(32);
        QVERIFY_STORE(keys.create(NewApiKey{operatorHash,
                                            QStringLiteral("dk_op"),
                                            QStringLiteral("agent"),
                                            QStringLiteral("janitor"),
                                            QStringLiteral("microdao:11"),
                                            {},
                                            {}},
                                  m_operator));
        const auto stateOf = [&](const QUuid &id) {
            auto found = keys.findById(id);
            return found ? found->state : ApiKeyState::Revoked;
        };
        QVERIFY_STORE(keys.authenticate(hash));

        QVERIFY_STORE(memberships.grant(lea->user.id, QStringLiteral("microdao:11"),
                                        QStringLiteral("member"), m_operator));
        QCOMPARE_KIND(keys.authenticate(hash), StoreErrorKind::NotFound);
        QCOMPARE(stateOf(made->id), ApiKeyState::Suspended);
        QVERIFY_STORE(keys.authenticate(operatorHash)); // no person's role behind it
        ApiKeyQuery live;
        live.microdaoId = QStringLiteral("microdao:11");
        live.includeInactive = false;
        auto listed = keys.list(live);
        QVERIFY_STORE(listed);
        QCOMPARE(listed->size(), 2); // listed as not revoked nor expired, marked suspended
        QCOMPARE(apiKeyStateName(ApiKeyState::Suspended), QStringLiteral("suspended"));

        QVERIFY_STORE(memberships.grant(lea->user.id, QStringLiteral("microdao:11"),
                                        QStringLiteral("admin"), m_operator));
        QVERIFY_STORE(keys.authenticate(hash));
        QCOMPARE(stateOf(made->id), ApiKeyState::Live);

        QVERIFY_STORE(UserRepository(db()).setDisabled(lea->user.id, true, m_operator));
        QCOMPARE_KIND(keys.authenticate(hash), StoreErrorKind::NotFound);
        QCOMPARE(stateOf(made->id), ApiKeyState::Suspended);
        QVERIFY_STORE(UserRepository(db()).setDisabled(lea->user.id, false, m_operator));
        QVERIFY_STORE(keys.authenticate(hash));

        // Revoked and expired say so first.
        QVERIFY_STORE(memberships.revoke(lea->user.id, QStringLiteral("microdao:11"), m_operator));
        QVERIFY_STORE(keys.revoke(made->id, QString(), m_operator));
        QCOMPARE(stateOf(made->id), ApiKeyState::Revoked);

        // A key whose maker's row is gone stays a person's key: it does not
        // become an operator's.
        auto max = signUp(db(), QStringLiteral("max"));
        QVERIFY_STORE(max);
        QVERIFY_STORE(memberships.grant(max->user.id, QStringLiteral("microdao:12"),
                                        QStringLiteral("owner"), m_operator));
        const QByteArray orphanHash = randomBytes(32);
        auto orphan = keys.create(NewApiKey{orphanHash,
                                            QStringLiteral("dk_max"),
                                            QStringLiteral("agent"),
                                            QStringLiteral("orphan"),
                                            QStringLiteral("microdao:12"),
                                            max->user.id,
                                            {}},
                                  m_operator);
        QVERIFY_STORE(orphan);
        QVERIFY_STORE(keys.authenticate(orphanHash));
        QCOMPARE(countRows(db(),
                           QStringLiteral(
                               "WITH gone AS (DELETE FROM users WHERE id = ?::uuid RETURNING 1)"
                               " SELECT count(*) FROM gone"),
                           {max->user.id.toString(QUuid::WithoutBraces)}),
                 1);
        QCOMPARE_KIND(keys.authenticate(orphanHash), StoreErrorKind::NotFound);
        QCOMPARE(stateOf(orphan->id), ApiKeyState::Suspended);
    }
};

QTEST_GUILESS_MAIN(AccountsTest)
#include "tst_accounts.moc"
