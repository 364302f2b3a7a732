#pragma once
// Asks for the PostgreSQL connection when DATABASE_URL is not set.

#include "shared/store/database_url.h"

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace daarion::console {

class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectionDialog(const store::ConnectionParameters &initial, const QString &problem = QString(),
                              QWidget *parent = nullptr);

    store::ConnectionParameters parameters() const;

private:
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_database;
    QLineEdit *m_options;
};

} // namespace daarion::console
