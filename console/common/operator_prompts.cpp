#include "console/common/operator_prompts.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpressionValidator>

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

void DialogPrompts::showError(const QString &title, const QString &message)
{
    QMessageBox::warning(m_parent, title, message);
}

} // namespace daarion::console
