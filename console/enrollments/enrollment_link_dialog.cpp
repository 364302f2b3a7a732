#include "console/enrollments/enrollment_link_dialog.h"

#include "console/common/display_format.h"
#include "console/enrollments/qr_code.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace daarion::console
{

EnrollmentLinkDialog::EnrollmentLinkDialog(const identity::IssuedEnrollmentLink &link,
                                           QWidget *parent)
    : QDialog(parent), m_url(link.url), m_link(new QLineEdit(link.url, this)),
      m_copy(new QPushButton(tr("Copy link"), this))
{
    const store::EnrollmentRecord &enrollment = link.enrollment;
    const bool invite = enrollment.kind == store::EnrollmentKind::Invite;
    setWindowTitle(invite ? tr("Invitation for %1").arg(link.user.username)
                          : tr("Enrollment link for %1").arg(link.user.username));

    auto *summary = new QLabel(this);
    summary->setWordWrap(true);
    QString text =
        invite
            ? tr("Whoever opens this link creates the first passkey of the new account <b>%1</b>.")
                  .arg(link.user.username.toHtmlEscaped())
            : tr("Whoever opens this link adds a passkey to the account <b>%1</b> and is signed "
                 "in; "
                 "the account's other sessions end.")
                  .arg(link.user.username.toHtmlEscaped());
    text += QStringLiteral("<br>") +
            tr("It works once, from %1 until %2.")
                .arg(display::time(enrollment.usableAt), display::time(enrollment.expiresAt));
    if (link.superseded > 0)
        text += QStringLiteral("<br>") + tr("%n older link(s) of this account no longer work.",
                                            nullptr, int(link.superseded));
    text += QStringLiteral("<br><i>") +
            tr("It is shown only now: copy it or scan it before closing.") + QStringLiteral("</i>");
    summary->setText(text);

    m_link->setReadOnly(true);
    m_link->setCursorPosition(0);
    m_link->setMinimumWidth(420);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_url);
        m_copy->setText(tr("Copied"));
    });

    auto *qr = new QLabel(this);
    qr->setAlignment(Qt::AlignCenter);
    if (const auto code = QrCode::encode(m_url)) {
        m_qrImage = code->image(kModulePixels);
        qr->setPixmap(QPixmap::fromImage(m_qrImage));
        qr->setAccessibleName(tr("QR code of the link"));
    } else {
        qr->setText(tr("The link is too long for a QR code."));
    }

    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_link, 1);
    linkRow->addWidget(m_copy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addLayout(linkRow);
    layout->addWidget(qr, 1);
    layout->addWidget(buttons);
}

} // namespace daarion::console
