#include "console/common/operator_prompts.h"

#include "console/enrollments/enrollment_link_dialog.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>

namespace daarion::console {

bool DialogPrompts::confirm(const QString &title, const QString &question)
{
    QMessageBox box(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::Cancel, m_parent);
    box.setDefaultButton(QMessageBox::Cancel); // a stray Enter changes nothing
    return box.exec() == QMessageBox::Yes;
}

std::optional<MembershipGrant> DialogPrompts::membershipToGrant(const MembershipGrant &suggestion)
{
    QDialog dialog(m_parent);
    dialog.setWindowTitle(QObject::tr("Grant membership"));
    auto *username = new QLineEdit(suggestion.username, &dialog);
    username->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[a-z0-9_.-]{1,32}")), username));
    auto *microdao = new QLineEdit(suggestion.microdaoId, &dialog);
    microdao->setPlaceholderText(QStringLiteral("microdao:7"));
    microdao->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("microdao:[A-Za-z0-9_.-]{1,64}")), microdao));
    auto *role = new QComboBox(&dialog);
    role->addItems({QStringLiteral("member"), QStringLiteral("admin"), QStringLiteral("owner")});
    if (!suggestion.role.isEmpty())
        role->setCurrentText(suggestion.role);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(QObject::tr("User"), username);
    form->addRow(QObject::tr("microDAO"), microdao);
    form->addRow(QObject::tr("Role"), role);
    form->addRow(buttons);
    auto updateOk = [&] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(username->hasAcceptableInput() &&
                                                          microdao->hasAcceptableInput());
    };
    QObject::connect(username, &QLineEdit::textChanged, &dialog, updateOk);
    QObject::connect(microdao, &QLineEdit::textChanged, &dialog, updateOk);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    updateOk();
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return MembershipGrant{username->text(), microdao->text(), role->currentText()};
}

std::optional<EnrollmentChoice> DialogPrompts::enrollmentToIssue(const EnrollmentChoice &suggestion)
{
    using std::chrono::hours;
    QDialog dialog(m_parent);
    dialog.setWindowTitle(
        suggestion.invite ? QObject::tr("Invite a new user")
                          : QObject::tr("Issue enrollment link for %1").arg(suggestion.username));
    auto *username = new QLineEdit(suggestion.username, &dialog);
    username->setReadOnly(!suggestion.invite);
    username->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[a-z0-9_.-]{3,32}")), username));
    auto *displayName = new QLineEdit(suggestion.displayName, &dialog);
    displayName->setMaxLength(64);
    // Hours: the links live from minutes to days, and an operator thinks in hours.
    auto *ttl = new QSpinBox(&dialog);
    ttl->setRange(1, 7 * 24);
    ttl->setSuffix(QObject::tr(" h"));
    ttl->setValue(int(std::chrono::duration_cast<hours>(suggestion.lifetime).count()));
    auto *delay = new QSpinBox(&dialog);
    delay->setRange(0, 7 * 24);
    delay->setSuffix(QObject::tr(" h"));
    delay->setValue(int(std::chrono::duration_cast<hours>(suggestion.delay).count()));
    delay->setToolTip(
        QObject::tr("Cooling-off: the link works only after this; meanwhile the account's own "
                    "sessions see it and can cancel it."));
    auto *note = new QLineEdit(suggestion.note, &dialog);
    note->setMaxLength(200);
    note->setPlaceholderText(
        QObject::tr("why, e.g. ticket 42: phone lost, identity checked by video call"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(QObject::tr("Issue link"));
    auto *form = new QFormLayout(&dialog);
    form->addRow(QObject::tr("User"), username);
    if (suggestion.invite)
        form->addRow(QObject::tr("Display name"), displayName);
    form->addRow(QObject::tr("Valid for"), ttl);
    form->addRow(QObject::tr("Usable after"), delay);
    form->addRow(QObject::tr("Note"), note);
    form->addRow(buttons);
    auto updateOk = [&] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(username->hasAcceptableInput());
    };
    QObject::connect(username, &QLineEdit::textChanged, &dialog, updateOk);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    updateOk();
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    EnrollmentChoice choice = suggestion;
    choice.username = username->text();
    choice.displayName = suggestion.invite ? displayName->text().trimmed() : QString();
    choice.lifetime = hours(ttl->value());
    choice.delay = hours(delay->value());
    choice.note = note->text().trimmed();
    return choice;
}

void DialogPrompts::showEnrollmentLink(const identity::IssuedEnrollmentLink &link)
{
    EnrollmentLinkDialog dialog(link, m_parent);
    dialog.exec();
}

void DialogPrompts::showError(const QString &title, const QString &message)
{
    QMessageBox::warning(m_parent, title, message);
}

} // namespace daarion::console
