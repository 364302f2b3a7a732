// Every operator action against a seeded PostgreSQL: it asks first, changes
// the database through the store, and the audit trail names the operator.
// A declined confirmation and read-only mode change nothing.

#include "console/actions/operator_actions.h"
#include "console/common/operator_identity.h"
#include "console/users/user_list_model.h"
#include "console/users/users_page.h"
#include "tests/console/console_fixture.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QTableView>
#include <QTest>

using namespace daarion::console;
using namespace daarion::testing;
using namespace daarion::store;

class ConsoleActionsTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;
    ScriptedPrompts m_prompts;
    std::unique_ptr<OperatorActions> m_actions;
    const QString m_actor = QStringLiteral("operator:tester");

    Database &db() { return m_console.db(); }

    // Runs an action and waits for its outcome; true when it succeeded.
    template <typename Action>
    bool perform(Action action)
    {
        QSignalSpy succeeded(m_actions.get(), &OperatorActions::succeeded);
        QSignalSpy finished(m_actions.get(), &OperatorActions::dataChanged);
        if (!action())
            return false;
        if (!finished.wait(5000))
            return false;
        return succeeded.count() == 1;
    }

    qint64 audited(AuditEventType type) { return countAuditRows(db(), QString(auditEventName(type)), m_actor); }

    PasskeyWithOwner withOwner(const PasskeyRecord &passkey, const QString &username)
    {
        return PasskeyWithOwner{passkey, username};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_console.start(), qPrintable(m_console.error()));
        m_actions = std::make_unique<OperatorActions>(
            m_console.client(), OperatorIdentity{QStringLiteral("tester"), false}, m_prompts);
    }

    void init()
    {
        m_prompts.answer = true;
        m_prompts.questions.clear();
        m_prompts.errors.clear();
    }

    void cleanupTestCase()
    {
        m_actions.reset();
        m_console.stop();
    }

    void revokeOneSession()
    {
        QVERIFY(perform([&] {
            return m_actions->revokeSession(
                SessionWithOwner{m_console.seed.aliceFirefox, QStringLiteral("alice")});
        }));
        QCOMPARE(m_prompts.questions.size(), 1);
        QVERIFY(m_prompts.questions.first().contains(QStringLiteral("alice")));
        auto session = SessionRepository(db()).findById(m_console.seed.aliceFirefox.id);
        QVERIFY(session.ok());
        QCOMPARE(session->state, SessionState::Revoked);
        QCOMPARE(session->revokeReason, QStringLiteral("operator"));
        QCOMPARE(audited(AuditEventType::SessionRevoked), 1);
        // The other session of alice is untouched.
        QCOMPARE(SessionRepository(db()).findById(m_console.seed.aliceChrome.id)->state,
                 SessionState::Live);
    }

    void revokeAllSessionsOfAUser()
    {
        QVERIFY(perform([&] {
            return m_actions->revokeAllSessions(m_console.seed.alice.id, QStringLiteral("alice"));
        }));
        auto live = SessionRepository(db()).listByUser(m_console.seed.alice.id, true,
                                                       std::chrono::seconds(0));
        QVERIFY(live.ok());
        QCOMPARE(live->size(), 0);
        QVERIFY(audited(AuditEventType::SessionRevoked) >= 2);
        QCOMPARE(SessionRepository(db()).findById(m_console.seed.bobLive.id)->state,
                 SessionState::Live);
    }

    void disableThenEnableAUser()
    {
        QVERIFY(perform([&] { return m_actions->setUserDisabled(m_console.seed.bob, true); }));
        QVERIFY(UserRepository(db()).findById(m_console.seed.bob.id)->disabled());
        QCOMPARE(audited(AuditEventType::UserDisabled), 1);
        // Disabling also signed bob out.
        QCOMPARE(SessionRepository(db()).findById(m_console.seed.bobLive.id)->state,
                 SessionState::Revoked);
        QVERIFY(perform([&] { return m_actions->setUserDisabled(m_console.seed.bob, false); }));
        QVERIFY(!UserRepository(db()).findById(m_console.seed.bob.id)->disabled());
        QCOMPARE(audited(AuditEventType::UserEnabled), 1);
    }

    void disableThenEnableAPasskey()
    {
        const auto yubi = withOwner(m_console.seed.aliceYubiKey, QStringLiteral("alice"));
        QVERIFY(perform([&] { return m_actions->setPasskeyDisabled(yubi, true); }));
        QVERIFY(PasskeyRepository(db()).findById(yubi.passkey.id)->disabled());
        QCOMPARE(audited(AuditEventType::PasskeyDisabled), 1);
        QVERIFY(perform([&] { return m_actions->setPasskeyDisabled(yubi, false); }));
        QVERIFY(!PasskeyRepository(db()).findById(yubi.passkey.id)->disabled());
        QCOMPARE(audited(AuditEventType::PasskeyEnabled), 1);
    }

    void deleteAPasskey()
    {
        QVERIFY(perform([&] {
            return m_actions->deletePasskey(
                withOwner(m_console.seed.aliceIphone, QStringLiteral("alice")));
        }));
        QCOMPARE(PasskeyRepository(db()).findById(m_console.seed.aliceIphone.id).kind(),
                 StoreErrorKind::NotFound);
        QCOMPARE(audited(AuditEventType::PasskeyDeleted), 1);
    }

    void deletingTheLastPasskeyIsRefusedAndExplained()
    {
        QVERIFY(!perform([&] {
            return m_actions->deletePasskey(
                withOwner(m_console.seed.daveTitan, QStringLiteral("dave")));
        }));
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY2(m_prompts.errors.first().contains(QStringLiteral("only passkey")), qPrintable(m_prompts.errors.first()));
        QVERIFY(PasskeyRepository(db()).findById(m_console.seed.daveTitan.id).ok());
        QCOMPARE(audited(AuditEventType::PasskeyDeleted), 1); // only the earlier one
    }

    void grantAndRevokeMemberships()
    {
        m_prompts.grant = MembershipGrant{QStringLiteral("dave"), QStringLiteral("microdao:9"), QStringLiteral("admin")};
        QVERIFY(perform([&] { return m_actions->grantMembership(MembershipGrant{}); }));
        auto granted =
            MembershipRepository(db()).find(m_console.seed.dave.id, QStringLiteral("microdao:9"));
        QVERIFY(granted.ok());
        QCOMPARE(granted->role, QStringLiteral("admin"));
        QCOMPARE(audited(AuditEventType::MembershipGranted), 1);

        auto bobs =
            MembershipRepository(db()).find(m_console.seed.bob.id, QStringLiteral("microdao:7"));
        QVERIFY(bobs.ok());
        QVERIFY(perform([&] { return m_actions->revokeMembership(*bobs); }));
        QCOMPARE(MembershipRepository(db())
                     .find(m_console.seed.bob.id, QStringLiteral("microdao:7"))
                     .kind(),
                 StoreErrorKind::NotFound);
        QCOMPARE(audited(AuditEventType::MembershipRevoked), 1);

        // A cancelled grant form asks nothing more and sends nothing.
        m_prompts.grant.reset();
        m_prompts.questions.clear();
        QVERIFY(!m_actions->grantMembership(MembershipGrant{}));
        QVERIFY(m_prompts.questions.isEmpty());
    }

    void revokeAnApiKey()
    {
        QVERIFY(perform([&] { return m_actions->revokeApiKey(m_console.seed.helperKey); }));
        QCOMPARE(ApiKeyRepository(db()).findById(m_console.seed.helperKey.id)->state,
                 ApiKeyState::Revoked);
        QCOMPARE(audited(AuditEventType::ApiKeyRevoked), 1);
        QCOMPARE(ApiKeyRepository(db()).findById(m_console.seed.billingKey.id)->state,
                 ApiKeyState::Live);
    }

    void declinedConfirmationChangesNothing()
    {
        m_prompts.answer = false;
        QSignalSpy finished(m_actions.get(), &OperatorActions::dataChanged);
        QVERIFY(!m_actions->setUserDisabled(m_console.seed.dave, true));
        QVERIFY(!m_actions->revokeApiKey(m_console.seed.billingKey));
        QCOMPARE(m_prompts.questions.size(), 2);
        QTest::qWait(300);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!UserRepository(db()).findById(m_console.seed.dave.id)->disabled());
        QCOMPARE(ApiKeyRepository(db()).findById(m_console.seed.billingKey.id)->state,
                 ApiKeyState::Live);
    }

    void readOnlyActionsAskAndSendNothing()
    {
        ScriptedPrompts prompts;
        OperatorActions readOnly(m_console.client(),
                                 OperatorIdentity{QStringLiteral("viewer"), true}, prompts);
        QSignalSpy finished(&readOnly, &OperatorActions::dataChanged);
        prompts.grant = MembershipGrant{QStringLiteral("dave"), QStringLiteral("microdao:11"), QStringLiteral("member")};
        QVERIFY(!readOnly.setUserDisabled(m_console.seed.dave, true));
        QVERIFY(!readOnly.revokeAllSessions(m_console.seed.dave.id, QStringLiteral("dave")));
        QVERIFY(!readOnly.grantMembership(MembershipGrant{}));
        QVERIFY(!readOnly.revokeApiKey(m_console.seed.billingKey));
        QTest::qWait(300);
        QVERIFY(prompts.questions.isEmpty());
        QCOMPARE(finished.count(), 0);
        QVERIFY(!UserRepository(db()).findById(m_console.seed.dave.id)->disabled());
        QCOMPARE(MembershipRepository(db())
                     .find(m_console.seed.dave.id, QStringLiteral("microdao:11"))
                     .kind(),
                 StoreErrorKind::NotFound);
    }

    void actionThroughTheUsersPage()
    {
        UsersPage page(m_console.client(), m_actions.get());
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        const int dave = page.model()->rowOfUser(m_console.seed.dave.id);
        QVERIFY(dave >= 0);
        QList<QAction *> actions = page.operatorActions();
        QCOMPARE(actions.size(),
                 5); // disable, enable, revoke sessions, issue enrollment link, invite
        for (QAction *action : actions.first(4))
            QVERIFY(!action->isEnabled()); // nothing selected yet
        QVERIFY(actions.at(4)->isEnabled()); // an invite needs no selected user
        page.table()->selectionModel()->select(page.model()->index(dave, 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QAction *disable = actions.at(0);
        QVERIFY(disable->isEnabled());
        QVERIFY(!actions.at(1)->isEnabled()); // enable: dave is enabled
        QSignalSpy finished(m_actions.get(), &OperatorActions::dataChanged);
        disable->trigger();
        QVERIFY(finished.wait(5000));
        QVERIFY(m_prompts.questions.last().contains(QStringLiteral("dave")));
        QVERIFY(UserRepository(db()).findById(m_console.seed.dave.id)->disabled());
        QCOMPARE(audited(AuditEventType::UserDisabled), 2); // bob earlier, dave now
    }
};

QTEST_MAIN(ConsoleActionsTest)
#include "tst_console_actions.moc"
