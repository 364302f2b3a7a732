#pragma once
// The activity chart kept current: reloads the hourly counts when asked
// (audit events arrive in bursts, so requests within a second become one
// query) and every minute, so the 24-hour window moves on.

#include <QWidget>

class QTimer;

namespace daarion::console {

class ActivityChart;
class StoreClient;

class ActivityPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ActivityPanel(StoreClient &client, QWidget *parent = nullptr);

    ActivityChart *chart() const { return m_chart; }

public slots:
    void refresh();     // now
    void refreshSoon(); // within a second, coalesced

signals:
    void refreshed();

private:
    StoreClient &m_client;
    ActivityChart *m_chart;
    QTimer *m_soon;
};

} // namespace daarion::console
