#pragma once
// What every console suite shares: SeededConsole, a fresh migrated database
// seeded through the library's stores (never raw SQL, except to age a
// session past its expiry, which no store call can do) with a StoreClient on
// it; prompts that answer as a test says; and waiting for a page's answer.

#include "console/backend/store_client.h"
#include "console/common/list_page.h"
#include "console/common/operator_prompts.h"

#include "shared/store/api_key_repository.h"
#include "shared/store/audit_repository.h"
#include "shared/store/ceremony_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"
#include "tests/support/test_database.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace daarion::testing {

// Answers operator prompts from a script and remembers what was asked.
class ScriptedPrompts : public console::OperatorPrompts
{
public:
    bool answer = true;
    std::optional<console::MembershipGrant> grant;
    std::optional<console::EnrollmentChoice> enrollment; // the form's answer; nullopt: cancelled
    QList<console::EnrollmentChoice> enrollmentSuggestions;
    QList<identity::IssuedEnrollmentLink> shownLinks;
    QStringList questions;
    QStringList errors;

    bool confirm(const QString &, const QString &question) override
    {
        questions.append(question);
        return answer;
    }
    std::optional<console::MembershipGrant> membershipToGrant(const console::MembershipGrant &) override
    {
        return grant;
    }
    std::optional<console::EnrollmentChoice>
    enrollmentToIssue(const console::EnrollmentChoice &suggestion) override
    {
        enrollmentSuggestions.append(suggestion);
        return enrollment;
    }
    void showEnrollmentLink(const identity::IssuedEnrollmentLink &link) override
    {
        shownLinks.append(link);
    }
    void showError(const QString &title, const QString &message) override
    {
        errors.append(title + QStringLiteral(": ") + message);
    }
};

// The seeded world; ids for the assertions.
struct Seed {
    store::UserRecord alice, bob, carol, dave;
    store::PasskeyRecord aliceYubiKey, aliceIphone, bobPixel, carolLaptop, daveTitan;
    store::SessionRecord aliceFirefox, aliceChrome, bobLive, bobRevoked, daveExpired, daveRotated, daveCurrent;
    store::ApiKeyRecord helperKey, billingKey;
    int signIns = 0;  // login_success rows appended
    int failures = 0; // login_failure rows appended
};

// QStringList from literals (the build forbids implicit const char * → QString).
inline QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromUtf8(item));
    return list;
}

inline QByteArray bytesFor(const QString &label, int size = 32)
{
    QByteArray bytes = QCryptographicHash::hash(label.toUtf8(), QCryptographicHash::Sha256);
    while (bytes.size() < size)
        bytes += bytes;
    return bytes.left(size);
}

inline store::AuditContext seedContext()
{
    return store::AuditContext{QStringLiteral("service:seed"), QStringLiteral("10.0.0.99"), QStringLiteral("seed")};
}

// Fails the calling test (QVERIFY2 semantics) when a store call fails.
#define SEED_OK(expression)                                                                                 \
    [&]() {                                                                                                 \
        auto seeded_ = (expression);                                                                        \
        if (!seeded_)                                                                                       \
            qFatal("seeding failed at %s: %s", #expression, qPrintable(seeded_.error().message));           \
        return std::move(seeded_).value();                                                                  \
    }()

inline store::RegistrationOutcome seedUser(store::Database &db, const QString &username, const QString &displayName,
                                           const store::NewPasskey &passkey)
{
    store::RegistrationCommit commit;
    commit.newUser = store::NewUser{username, displayName, bytesFor(username + QStringLiteral("/handle"), 16)};
    commit.passkey = passkey;
    commit.context = seedContext();
    return SEED_OK(store::CeremonyRepository(db).completeRegistration(commit));
}

inline store::PasskeyRecord seedExtraPasskey(store::Database &db, const QUuid &userId, const store::NewPasskey &passkey)
{
    store::RegistrationCommit commit;
    commit.existingUserId = userId;
    commit.passkey = passkey;
    commit.context = seedContext();
    return SEED_OK(store::CeremonyRepository(db).completeRegistration(commit)).passkey;
}

inline store::NewPasskey newPasskey(const QString &label, const QString &device, int alg, const QString &fmt,
                                    const QStringList &transports, bool backupEligible, bool backupState)
{
    store::NewPasskey passkey;
    passkey.credentialId = QString::fromLatin1(
        bytesFor(label + QStringLiteral("/credential"), 24).toBase64(QByteArray::Base64UrlEncoding |
                                                                     QByteArray::OmitTrailingEquals));
    passkey.publicKey = bytesFor(label + QStringLiteral("/key"), 77);
    passkey.signCount = 5;
    passkey.deviceName = device;
    passkey.aaguid = bytesFor(label + QStringLiteral("/aaguid"), 16);
    passkey.alg = alg;
    passkey.transports = transports;
    passkey.attestationFmt = fmt;
    passkey.attestationType = fmt == QLatin1String("none") ? QStringLiteral("none") : QStringLiteral("basic");
    passkey.userVerified = true;
    passkey.backupEligible = backupEligible;
    passkey.backupState = backupState;
    return passkey;
}

inline store::SessionRecord seedSession(store::Database &db, const store::UserRecord &user,
                                        const store::PasskeyRecord &passkey, const QString &ip, const QString &agent)
{
    store::NewSession session;
    session.userId = user.id;
    session.passkeyId = passkey.id;
    session.tokenHash = bytesFor(user.username + ip + agent + QStringLiteral("/token"));
    session.lifetime = std::chrono::hours(12);
    session.clientIp = ip;
    session.userAgent = agent;
    return SEED_OK(store::SessionRepository(db).create(session));
}

inline void seedLogin(store::Database &db, const store::UserRecord &user, const store::PasskeyRecord &passkey,
                      bool success, Seed &seed)
{
    store::AuditEvent event;
    event.type = success ? store::AuditEventType::LoginSuccess : store::AuditEventType::LoginFailure;
    event.success = success;
    event.errorCode = success ? QString() : QStringLiteral("signature_invalid");
    event.userId = user.id;
    event.username = user.username;
    event.passkeyId = passkey.id;
    event.credentialId = passkey.credentialId;
    event.clientIp = QStringLiteral("10.0.0.1");
    event.actor = store::actorForUser(user.id);
    SEED_OK(store::AuditRepository(db).append(event));
    (success ? seed.signIns : seed.failures) += 1;
}

inline Seed seedWorld(TestDatabase &test)
{
    using namespace daarion::store;
    Database &db = test.database();
    Seed seed;
    const QStringList usbNfc{QStringLiteral("usb"), QStringLiteral("nfc")};
    const QStringList hybrid{QStringLiteral("hybrid"), QStringLiteral("internal")};

    auto alice = seedUser(db, QStringLiteral("alice"), QStringLiteral("Alice Liddell"),
                          newPasskey(QStringLiteral("alice-yubikey"), QStringLiteral("YubiKey 5C"), -7,
                                     QStringLiteral("packed"), usbNfc, false, false));
    seed.alice = alice.user;
    seed.aliceYubiKey = alice.passkey;
    seed.aliceIphone = seedExtraPasskey(db, seed.alice.id,
                                        newPasskey(QStringLiteral("alice-iphone"), QStringLiteral("iPhone 15"), -7,
                                                   QStringLiteral("none"), hybrid, true, true));
    auto bob = seedUser(db, QStringLiteral("bob"), QStringLiteral("Bob Builder"),
                        newPasskey(QStringLiteral("bob-pixel"), QStringLiteral("Pixel 8"), -8, QStringLiteral("none"),
                                   hybrid, true, false));
    seed.bob = bob.user;
    seed.bobPixel = bob.passkey;
    auto carol = seedUser(db, QStringLiteral("carol"), QStringLiteral("Carol Danvers"),
                          newPasskey(QStringLiteral("carol-laptop"), QStringLiteral("Work laptop"), -257,
                                     QStringLiteral("tpm"), {QStringLiteral("internal")}, false, false));
    seed.carol = carol.user;
    seed.carolLaptop = carol.passkey;
    auto dave = seedUser(db, QStringLiteral("dave"), QStringLiteral("Dave Grohl"),
                         newPasskey(QStringLiteral("dave-titan"), QStringLiteral("Titan"), -7,
                                    QStringLiteral("fido-u2f"), usbNfc, false, false));
    seed.dave = dave.user;
    seed.daveTitan = dave.passkey;

    seed.aliceFirefox = seedSession(db, seed.alice, seed.aliceYubiKey, QStringLiteral("10.0.0.1"),
                                    QStringLiteral("Mozilla/5.0 Firefox/133.0"));
    seed.aliceChrome = seedSession(db, seed.alice, seed.aliceIphone, QStringLiteral("10.0.0.2"),
                                   QStringLiteral("Mozilla/5.0 Chrome/131.0"));
    seed.bobLive = seedSession(db, seed.bob, seed.bobPixel, QStringLiteral("192.168.1.20"),
                               QStringLiteral("Mozilla/5.0 Safari/18.1"));
    seed.bobRevoked = seedSession(db, seed.bob, seed.bobPixel, QStringLiteral("192.168.1.21"),
                                  QStringLiteral("Mozilla/5.0 Edge/131.0"));
    seed.bobRevoked = SEED_OK(SessionRepository(db).revoke(seed.bobRevoked.id, QUuid(), QStringLiteral("logout"),
                                                           seedContext()));
    seed.daveExpired = seedSession(db, seed.dave, seed.daveTitan, QStringLiteral("172.16.0.5"),
                                   QStringLiteral("curl/8.5"));
    seed.daveRotated = seedSession(db, seed.dave, seed.daveTitan, QStringLiteral("172.16.0.6"),
                                   QStringLiteral("daarion-agent/1.0"));
    seed.daveCurrent = SEED_OK(SessionRepository(db).rotate(
        bytesFor(QStringLiteral("dave172.16.0.6daarion-agent/1.0/token")), bytesFor(QStringLiteral("dave/rotated")),
        std::chrono::seconds(0),
        AuditContext{actorForUser(seed.dave.id), QStringLiteral("172.16.0.7"), QStringLiteral("daarion-agent/1.1")}));
    // No store call makes a session old: age this one by hand.
    const QString aged = test.exec(QStringLiteral("UPDATE sessions SET created_at = now() - interval '2 days', "
                                                  "expires_at = now() - interval '1 day' WHERE id = '%1'")
                                       .arg(seed.daveExpired.id.toString(QUuid::WithoutBraces)));
    if (!aged.isEmpty())
        qFatal("ageing a session failed: %s", qPrintable(aged));

    SEED_OK(PasskeyRepository(db).flagCounterRegression(seed.bobPixel.id, 3, seedContext()));
    seed.bobPixel = SEED_OK(PasskeyRepository(db).findById(seed.bobPixel.id));
    seed.carol = SEED_OK(UserRepository(db).setDisabled(seed.carol.id, true, seedContext()));

    MembershipRepository memberships(db);
    SEED_OK(memberships.grant(seed.alice.id, QStringLiteral("microdao:7"), QStringLiteral("owner"), seedContext()));
    SEED_OK(memberships.grant(seed.bob.id, QStringLiteral("microdao:7"), QStringLiteral("member"), seedContext()));
    SEED_OK(memberships.grant(seed.bob.id, QStringLiteral("microdao:9"), QStringLiteral("admin"), seedContext()));

    NewApiKey helper;
    helper.keyHash = bytesFor(QStringLiteral("helper-key"));
    helper.keyPrefix = QStringLiteral("dk_helper01");
    helper.actorType = QStringLiteral("agent");
    helper.actorName = QStringLiteral("helper");
    helper.microdaoId = QStringLiteral("microdao:7");
    helper.createdByUserId = seed.alice.id;
    seed.helperKey = SEED_OK(ApiKeyRepository(db).create(helper, seedContext()));
    NewApiKey billing;
    billing.keyHash = bytesFor(QStringLiteral("billing-key"));
    billing.keyPrefix = QStringLiteral("dk_billin02");
    billing.actorType = QStringLiteral("service");
    billing.actorName = QStringLiteral("billing");
    seed.billingKey = SEED_OK(ApiKeyRepository(db).create(billing, seedContext()));

    seedLogin(db, seed.alice, seed.aliceYubiKey, true, seed);
    seedLogin(db, seed.alice, seed.aliceIphone, true, seed);
    seedLogin(db, seed.bob, seed.bobPixel, true, seed);
    seedLogin(db, seed.bob, seed.bobPixel, false, seed);
    seedLogin(db, seed.dave, seed.daveTitan, false, seed);
    return seed;
}

// The set-up every console suite shares: a fresh migrated database seeded
// with seedWorld(), and a StoreClient on it (its worker thread owns the
// connection). Torn down client first.
//
//     SeededConsole m_console;
//     void initTestCase() { QVERIFY2(m_console.start(), qPrintable(m_console.error())); }
//     void cleanupTestCase() { m_console.stop(); }
//     … m_console.client(), m_console.seed.alice, m_console.db()
class SeededConsole
{
public:
    // False, with error() saying why, when there is no database to seed.
    bool start()
    {
        m_test = std::make_unique<TestDatabase>();
        if (!m_test->isReady()) {
            m_error = m_test->error();
            return false;
        }
        seed = seedWorld(*m_test);
        m_client = std::make_unique<console::StoreClient>(m_test->parameters());
        return true;
    }
    void stop()
    {
        m_client.reset();
        m_test.reset();
    }
    QString error() const { return m_error; }

    Seed seed; // what start() put in the database
    console::StoreClient &client() const { return *m_client; }
    TestDatabase &test() const { return *m_test; }
    store::Database &db() const { return m_test->database(); } // this thread's connection

private:
    std::unique_ptr<TestDatabase> m_test;
    std::unique_ptr<console::StoreClient> m_client;
    QString m_error;
};

// Waits for the page's next answer after `trigger` ran.
template <typename Trigger>
bool waitForLoad(console::ListPage &page, Trigger trigger, int timeoutMs = 5000)
{
    QSignalSpy loaded(&page, &console::ListPage::loaded);
    trigger();
    return loaded.wait(timeoutMs);
}

inline qint64 countAuditRows(store::Database &db, const QString &event, const QString &actor)
{
    store::AuditFilter filter;
    filter.events = {event};
    auto rows = store::AuditRepository(db).query(filter);
    if (!rows)
        return -1;
    qint64 count = 0;
    for (const store::AuditRecord &row : *rows)
        count += row.event.actor == actor ? 1 : 0;
    return count;
}

} // namespace daarion::testing
