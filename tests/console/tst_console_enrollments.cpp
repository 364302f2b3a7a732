// Enrollment links in the console against a seeded PostgreSQL: issuing one
// for a user (form, confirmation, the link shown once with its QR code and a
// copy button), inviting a new user, the selected user's pending links and
// revoking one; each change through the store with its audit row naming the
// operator; declined, refused and read-only cases change nothing.

#include "console/actions/operator_actions.h"
#include "console/common/operator_identity.h"
#include "console/enrollments/enrollment_link_dialog.h"
#include "console/enrollments/enrollment_list_model.h"
#include "console/enrollments/enrollments_page.h"
#include "console/enrollments/qr_code.h"
#include "console/users/user_list_model.h"
#include "console/users/users_page.h"
#include "tests/console/console_fixture.h"

#include "shared/store/enrollment_repository.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

#include <qrencode.h>

using namespace daarion::console;
using namespace daarion::testing;
using namespace daarion::store;
using namespace std::chrono_literals;

namespace
{
const QString kPublicUrl = QStringLiteral("https://id.daarion.test");

// libqrencode's own matrix for `text` (bit 0 of each byte: a dark module).
QList<QList<bool>> referenceModules(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    QRcode *code = QRcode_encodeString8bit(bytes.constData(), 0, QR_ECLEVEL_M);
    QList<QList<bool>> rows;
    if (!code)
        return rows;
    for (int y = 0; y < code->width; ++y) {
        QList<bool> row;
        for (int x = 0; x < code->width; ++x)
            row.append((code->data[y * code->width + x] & 1) != 0);
        rows.append(row);
    }
    QRcode_free(code);
    return rows;
}
} // namespace

class ConsoleEnrollmentsTest : public QObject
{
    Q_OBJECT

    SeededConsole m_console;
    ScriptedPrompts m_prompts;
    std::unique_ptr<OperatorActions> m_actions;
    const QString m_actor = QStringLiteral("operator:tester");

    Database &db() { return m_console.db(); }

    template <typename Action> bool perform(Action action)
    {
        QSignalSpy succeeded(m_actions.get(), &OperatorActions::succeeded);
        QSignalSpy finished(m_actions.get(), &OperatorActions::dataChanged);
        if (!action())
            return false;
        if (!finished.wait(5000))
            return false;
        return succeeded.count() == 1;
    }

    QList<EnrollmentRecord> pendingOf(const QUuid &userId)
    {
        auto links = EnrollmentRepository(db()).listPending(userId);
        return links ? *links : QList<EnrollmentRecord>{};
    }

    void selectUser(UsersPage &page, const QUuid &userId)
    {
        const int row = page.model()->rowOfUser(userId);
        QVERIFY(row >= 0);
        page.table()->selectionModel()->select(page.model()->index(row, 0),
                                               QItemSelectionModel::ClearAndSelect |
                                                   QItemSelectionModel::Rows);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_console.start(), qPrintable(m_console.error()));
        m_actions = std::make_unique<OperatorActions>(
            m_console.client(), OperatorIdentity{QStringLiteral("tester"), false, kPublicUrl},
            m_prompts);
    }

    void init()
    {
        m_prompts.answer = true;
        m_prompts.enrollment.reset();
        m_prompts.enrollmentSuggestions.clear();
        m_prompts.shownLinks.clear();
        m_prompts.questions.clear();
        m_prompts.errors.clear();
    }

    void cleanupTestCase()
    {
        m_actions.reset(); // before the client it acts through
        m_console.stop();
    }

    void issuingALinkAsksConfirmsAndShowsItOnce()
    {
        m_prompts.enrollment = EnrollmentChoice{
            false, QStringLiteral("alice"), {}, 12h, 2h, QStringLiteral("ticket 9: phone stolen")};
        QVERIFY(perform([&] { return m_actions->issueEnrollmentLink(m_console.seed.alice); }));
        // The form was offered for alice, with the defaults.
        QCOMPARE(m_prompts.enrollmentSuggestions.size(), 1);
        QCOMPARE(m_prompts.enrollmentSuggestions.first().username, QStringLiteral("alice"));
        QVERIFY(!m_prompts.enrollmentSuggestions.first().invite);
        QCOMPARE(m_prompts.enrollmentSuggestions.first().lifetime, std::chrono::seconds(24h));
        QCOMPARE(m_prompts.questions.size(), 1);
        QVERIFY2(m_prompts.questions.first().contains(QStringLiteral("alice")),
                 qPrintable(m_prompts.questions.first()));
        QVERIFY(m_prompts.questions.first().contains(QStringLiteral("cancel")));

        QCOMPARE(m_prompts.shownLinks.size(), 1);
        const daarion::identity::IssuedEnrollmentLink &link = m_prompts.shownLinks.first();
        QCOMPARE(link.url, kPublicUrl + QStringLiteral("/enroll#token=") + link.token);
        QVERIFY(link.token.startsWith(QStringLiteral("de_")));

        const QList<EnrollmentRecord> pending = pendingOf(m_console.seed.alice.id);
        QCOMPARE(pending.size(), 1);
        const EnrollmentRecord &stored = pending.first();
        QCOMPARE(stored.id, link.enrollment.id);
        QCOMPARE(stored.issuedBy, m_actor);
        QCOMPARE(stored.note, QStringLiteral("ticket 9: phone stolen"));
        QCOMPARE(stored.createdAt.secsTo(stored.usableAt), 2 * 3600);
        QCOMPARE(stored.usableAt.secsTo(stored.expiresAt), 12 * 3600);
        QCOMPARE(countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor), 1);
    }

    void theLinkDialogDrawsTheQrCodeAndCopiesTheLink()
    {
        m_prompts.enrollment = EnrollmentChoice{false, QStringLiteral("bob"), {}, 24h, 0s, {}};
        QVERIFY(perform([&] { return m_actions->issueEnrollmentLink(m_console.seed.bob); }));
        const daarion::identity::IssuedEnrollmentLink link = m_prompts.shownLinks.first();
        EnrollmentLinkDialog dialog(link);
        QCOMPARE(dialog.url(), link.url);

        // The drawn code, read back at each module's centre, is libqrencode's matrix for the URL.
        const QList<QList<bool>> expected = referenceModules(link.url);
        QVERIFY(!expected.isEmpty());
        const QImage image = dialog.qrImage();
        const int modules = int(expected.size());
        const int module = EnrollmentLinkDialog::kModulePixels;
        QCOMPARE(image.width(), (modules + 2 * QrCode::kQuietZone) * module);
        QCOMPARE(image.height(), image.width());
        int dark = 0;
        for (int y = 0; y < modules; ++y) {
            for (int x = 0; x < modules; ++x) {
                const QPoint centre((x + QrCode::kQuietZone) * module + module / 2,
                                    (y + QrCode::kQuietZone) * module + module / 2);
                const bool isDark = qGray(image.pixel(centre)) < 128;
                QVERIFY2(isDark == expected[y][x],
                         qPrintable(QStringLiteral("module %1,%2").arg(x).arg(y)));
                dark += isDark ? 1 : 0;
            }
        }
        QVERIFY(dark > modules); // a real code, not a blank square
        // The quiet zone is white all round.
        for (int i = 0; i < image.width(); i += module)
            QCOMPARE(qGray(image.pixel(i, module / 2)), 255);

        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), link.url);
    }

    void theUsersViewOffersTheLinksAndListsTheSelectedUsersPending()
    {
        UsersPage page(m_console.client(), m_actions.get());
        QAbstractItemModelTester tester(page.enrollments()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitForLoad(page, [&] { page.reload(); }));
        QVERIFY(page.inviteAction()->isEnabled());
        QVERIFY(!page.issueLinkAction()->isEnabled()); // nobody selected

        QVERIFY(
            waitForLoad(*page.enrollments(), [&] { selectUser(page, m_console.seed.alice.id); }));
        QVERIFY(page.issueLinkAction()->isEnabled());
        EnrollmentListModel &links = *page.enrollments()->model();
        QCOMPARE(links.rowCount(), 1);
        QCOMPARE(links.linkAt(0).username, QStringLiteral("alice"));
        QCOMPARE(links.index(0, EnrollmentListModel::State).data().toString(),
                 QStringLiteral("waiting (cooling-off)"));
        QCOMPARE(links.index(0, EnrollmentListModel::IssuedBy).data().toString(), m_actor);

        // A disabled account gets no link offered.
        QVERIFY(
            waitForLoad(*page.enrollments(), [&] { selectUser(page, m_console.seed.carol.id); }));
        QVERIFY(!page.issueLinkAction()->isEnabled());
        QCOMPARE(links.rowCount(), 0);

        // Revoking from the list: asked, done, audited.
        QVERIFY(
            waitForLoad(*page.enrollments(), [&] { selectUser(page, m_console.seed.alice.id); }));
        page.enrollments()->table()->selectRow(0);
        QVERIFY(page.enrollments()->revokeAction()->isEnabled());
        const QUuid id = links.linkAt(0).id;
        QVERIFY(perform([&] {
            page.enrollments()->revokeAction()->trigger();
            return !m_prompts.questions.isEmpty();
        }));
        QVERIFY(m_prompts.questions.last().contains(QStringLiteral("alice")));
        QCOMPARE(pendingOf(m_console.seed.alice.id).size(), 0);
        auto revoked = EnrollmentRepository(db()).findById(id);
        QVERIFY(revoked.ok());
        QCOMPARE(revoked->revokedBy, m_actor);
        QCOMPARE(revoked->revokeReason, QStringLiteral("operator"));
        QCOMPARE(countAuditRows(db(), QStringLiteral("enrollment_revoked"), m_actor), 1);
    }

    void invitingCreatesTheAccountAndItsLink()
    {
        m_prompts.enrollment = EnrollmentChoice{true,
                                                QStringLiteral("newbie"),
                                                QStringLiteral("New Bie"),
                                                48h,
                                                0s,
                                                QStringLiteral("joins the team on Monday")};
        const qint64 issuedBefore =
            countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor);
        QVERIFY(perform([&] { return m_actions->inviteUser(); }));
        QVERIFY(m_prompts.enrollmentSuggestions.first().invite);
        QVERIFY(m_prompts.questions.first().contains(QStringLiteral("newbie")));
        auto user = UserRepository(db()).findByUsername(QStringLiteral("newbie"));
        QVERIFY(user.ok());
        QCOMPARE(user->displayName, QStringLiteral("New Bie"));
        const QList<EnrollmentRecord> pending = pendingOf(user->id);
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.first().kind, EnrollmentKind::Invite);
        QCOMPARE(m_prompts.shownLinks.size(), 1);
        QCOMPARE(m_prompts.shownLinks.first().user.id, user->id);
        QCOMPARE(countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor),
                 issuedBefore + 1);

        // The same name again is refused and explained; nothing more is written.
        m_prompts.shownLinks.clear();
        QVERIFY(!perform([&] { return m_actions->inviteUser(); }));
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY2(m_prompts.errors.first().contains(QStringLiteral("taken")),
                 qPrintable(m_prompts.errors.first()));
        QVERIFY(m_prompts.shownLinks.isEmpty());
        QCOMPARE(pendingOf(user->id).size(), 1);
        QCOMPARE(countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor),
                 issuedBefore + 1);
    }

    void refusedDeclinedAndReadOnlyChangeNothing()
    {
        const qint64 issuedBefore =
            countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor);
        // A disabled account: the store refuses, the operator is told.
        m_prompts.enrollment = EnrollmentChoice{false, QStringLiteral("carol"), {}, 24h, 0s, {}};
        QVERIFY(!perform([&] { return m_actions->issueEnrollmentLink(m_console.seed.carol); }));
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY2(m_prompts.errors.first().contains(QStringLiteral("disabled")),
                 qPrintable(m_prompts.errors.first()));
        QCOMPARE(pendingOf(m_console.seed.carol.id).size(), 0);

        // A cancelled form asks nothing more; a declined confirmation sends nothing.
        m_prompts.enrollment.reset();
        m_prompts.questions.clear();
        QVERIFY(!m_actions->issueEnrollmentLink(m_console.seed.dave));
        QVERIFY(m_prompts.questions.isEmpty());
        m_prompts.enrollment = EnrollmentChoice{false, QStringLiteral("dave"), {}, 24h, 0s, {}};
        m_prompts.answer = false;
        QVERIFY(!m_actions->issueEnrollmentLink(m_console.seed.dave));
        QCOMPARE(m_prompts.questions.size(), 1);
        QTest::qWait(300);
        QCOMPARE(pendingOf(m_console.seed.dave.id).size(), 0);

        // Read-only: nothing is asked, nothing offered.
        ScriptedPrompts prompts;
        prompts.enrollment = EnrollmentChoice{false, QStringLiteral("dave"), {}, 24h, 0s, {}};
        OperatorActions readOnly(m_console.client(),
                                 OperatorIdentity{QStringLiteral("viewer"), true, kPublicUrl},
                                 prompts);
        QVERIFY(!readOnly.issueEnrollmentLink(m_console.seed.dave));
        QVERIFY(!readOnly.inviteUser());
        QVERIFY(prompts.enrollmentSuggestions.isEmpty());
        QVERIFY(prompts.questions.isEmpty());
        UsersPage page(m_console.client(), nullptr);
        QVERIFY(page.operatorActions().isEmpty());
        QVERIFY(page.enrollments()->operatorActions().isEmpty());
        QCOMPARE(countAuditRows(db(), QStringLiteral("enrollment_issued"), m_actor), issuedBefore);
    }

    void aQrCodeHoldsALongLinkButNotAnEssay()
    {
        const auto code = QrCode::encode(kPublicUrl + QStringLiteral("/enroll#token=de_") +
                                         QString(43, QLatin1Char('A')));
        QVERIFY(code.has_value());
        QVERIFY(code->size() >= 21);
        QVERIFY(!QrCode::encode(QString(4000, QLatin1Char('x'))).has_value());
    }
};

QTEST_MAIN(ConsoleEnrollmentsTest)
#include "tst_console_enrollments.moc"
