#pragma once
// An enrollment link just issued, shown once: who it is for and when it
// works, the link itself (selectable), a copy button and a QR code to scan
// with the phone that will hold the new passkey. The token is in the link
// and nowhere else: closing the dialog is the last time anyone sees it.

#include "shared/identity/enrollment_links.h"

#include <QDialog>
#include <QImage>

class QLabel;
class QLineEdit;
class QPushButton;

namespace daarion::console
{

class EnrollmentLinkDialog : public QDialog
{
    Q_OBJECT

public:
    explicit EnrollmentLinkDialog(const identity::IssuedEnrollmentLink &link,
                                  QWidget *parent = nullptr);

    QString url() const { return m_url; }
    QImage qrImage() const { return m_qrImage; } // null when the link did not fit a QR code
    QPushButton *copyButton() const { return m_copy; }

    static constexpr int kModulePixels = 4;

private:
    QString m_url;
    QImage m_qrImage;
    QLineEdit *m_link;
    QPushButton *m_copy;
};

} // namespace daarion::console
