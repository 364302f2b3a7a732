#include "console/audit/chain_status.h"

#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"

#include "shared/store/audit_chain_check.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace daarion::console
{

namespace
{
constexpr int problemsInTooltip = 20;
}

ChainStatus::ChainStatus(const StoreClient &client, QWidget *parent)
    : QWidget(parent), m_client(new StoreClient(client.parameters(), this)),
      m_label(new QLabel(this)), m_button(new QPushButton(tr("Verify chain"), this))
{
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setWordWrap(true);
    m_button->setToolTip(
        tr("Walk the audit chain now: every checkpoint's link and signature and every row "
           "against its checkpoint"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_button);
    connect(m_button, &QPushButton::clicked, this, &ChainStatus::check);
    display(State::Unknown, tr("Audit chain: not checked yet"), QString());
}

QString ChainStatus::text() const
{
    return m_label->text();
}

void ChainStatus::check()
{
    if (m_checking)
        return;
    m_checking = true;
    m_button->setEnabled(false);
    display(State::Checking, tr("Audit chain: checking…"), QString());
    m_client->call(
        this,
        [](store::Database &db) { return store::verifyAuditChain(db, audit::VerifyPolicy{}); },
        [this](const store::StoreResult<audit::ChainReport> &report) {
            m_checking = false;
            m_button->setEnabled(true);
            if (!report)
                return display(
                    State::Unknown,
                    tr("Audit chain: cannot check — %1").arg(describeStoreError(report.error())),
                    QString());
            QStringList details;
            for (const audit::ChainProblem &problem : report->problems.mid(0, problemsInTooltip))
                details << problem.message;
            if (report->problemCount > problemsInTooltip)
                details << tr("… %n more", nullptr, int(report->problemCount - problemsInTooltip));
            if (report->intact()) {
                details << tr("%n row(s) checked, %1 waiting for a checkpoint", nullptr,
                              int(report->rowsChecked))
                               .arg(report->rowsPending);
                if (!report->signers.isEmpty())
                    details << tr("signed by %1").arg(report->signers.join(QStringLiteral(", ")));
            }
            display(report->intact() ? State::Intact : State::Broken,
                    tr("Audit chain: %1").arg(report->summary()), details.join(QLatin1Char('\n')));
        });
}

void ChainStatus::display(State state, const QString &text, const QString &details)
{
    m_state = state;
    m_label->setText(text);
    m_label->setToolTip(details);
    QPalette palette = this->palette();
    if (state == State::Broken)
        palette.setColor(QPalette::WindowText, QColor(0xb0, 0x00, 0x20));
    else if (state == State::Intact)
        palette.setColor(QPalette::WindowText, QColor(0x1b, 0x5e, 0x20));
    m_label->setPalette(palette);
    if (state != State::Checking)
        emit checked(state, text);
}

} // namespace daarion::console
