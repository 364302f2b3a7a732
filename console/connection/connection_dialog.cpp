#include "console/connection/connection_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace daarion::console {

ConnectionDialog::ConnectionDialog(const store::ConnectionParameters &initial, const QString &problem, QWidget *parent)
    : QDialog(parent), m_host(new QLineEdit(initial.host, this)), m_port(new QSpinBox(this)),
      m_user(new QLineEdit(initial.user, this)), m_password(new QLineEdit(initial.password, this)),
      m_database(new QLineEdit(initial.databaseName, this)), m_options(new QLineEdit(initial.options, this))
{
    setWindowTitle(tr("Connect to the daarion-auth database"));
    m_port->setRange(1, 65535);
    m_port->setValue(initial.port);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("not remembered"));
    m_options->setPlaceholderText(QStringLiteral("sslmode=require;connect_timeout=10"));
    auto *form = new QFormLayout(this);
    if (!problem.isEmpty()) {
        auto *label = new QLabel(problem, this);
        label->setWordWrap(true);
        label->setStyleSheet(QStringLiteral("color: #9c0006"));
        form->addRow(label);
    }
    form->addRow(new QLabel(tr("Set DATABASE_URL to skip this dialog."), this));
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("Database"), m_database);
    form->addRow(tr("Options"), m_options);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

store::ConnectionParameters ConnectionDialog::parameters() const
{
    store::ConnectionParameters parameters;
    parameters.host = m_host->text().trimmed();
    parameters.port = m_port->value();
    parameters.user = m_user->text().trimmed();
    parameters.password = m_password->text();
    parameters.databaseName = m_database->text().trimmed();
    parameters.options = m_options->text().trimmed();
    return parameters;
}

} // namespace daarion::console
