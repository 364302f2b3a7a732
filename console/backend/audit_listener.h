#pragma once
// LISTENs on PostgreSQL's 'auth_events' channel (payload: the new row's id)
// on a thread and connection of its own. That connection runs nothing but
// LISTEN and a periodic ping, so a notification is never swallowed by a
// query running on the same socket. After every ping, which may have
// reconnected and lost the subscription, it subscribes again and emits
// resync() so the audit view fetches whatever it might have missed.

#include "shared/store/database_url.h"

#include <QObject>
#include <QThread>

#include <chrono>

namespace daarion::console {

class AuditListener : public QObject
{
    Q_OBJECT

public:
    static constexpr char Channel[] = "auth_events";

    explicit AuditListener(store::ConnectionParameters parameters,
                           std::chrono::milliseconds pingInterval = std::chrono::seconds(10),
                           QObject *parent = nullptr);
    ~AuditListener() override;

signals:
    void eventInserted(qint64 id); // one NOTIFY
    void resync();                 // the subscription was (re)established: look for missed rows
    void listening(bool on);       // subscription state, for the status bar

private:
    QThread m_thread;
};

} // namespace daarion::console
