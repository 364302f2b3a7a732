#pragma once
// The audit view's line about the chain itself: "Audit chain: intact up to
// checkpoint 12 at …" or what broke ("row 17 was edited after checkpoint 3
// sealed it"), with every problem in the tooltip. The walk goes through the
// store (store::verifyAuditChain, as `daarion-authd audit verify` does) on
// a connection of its own, so a long chain never holds up the other views.

#include "shared/audit/chain_verifier.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace daarion::console
{

class StoreClient;

class ChainStatus : public QWidget
{
    Q_OBJECT

public:
    explicit ChainStatus(const StoreClient &client, QWidget *parent = nullptr);

    QString text() const;
    enum class State { Checking, Intact, Broken, Unknown };
    State state() const { return m_state; }

public slots:
    void check(); // walks the chain now; the answer comes as checked()

signals:
    void checked(State state, const QString &text);

private:
    void display(State state, const QString &text, const QString &details);

    StoreClient *m_client; // owned: its own thread and connection
    QLabel *m_label;
    QPushButton *m_button;
    State m_state = State::Unknown;
    bool m_checking = false;
};

} // namespace daarion::console
