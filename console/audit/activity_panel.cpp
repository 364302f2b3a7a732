#include "console/audit/activity_panel.h"

#include "console/audit/activity_chart.h"
#include "console/backend/store_client.h"

#include "shared/store/audit_repository.h"

#include <QTimer>
#include <QVBoxLayout>

namespace daarion::console {

using namespace daarion::store;

ActivityPanel::ActivityPanel(StoreClient &client, QWidget *parent)
    : QWidget(parent), m_client(client), m_chart(new ActivityChart(this)), m_soon(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chart);
    m_soon->setSingleShot(true);
    m_soon->setInterval(1000);
    connect(m_soon, &QTimer::timeout, this, &ActivityPanel::refresh);
    auto *minute = new QTimer(this);
    minute->setInterval(60 * 1000);
    connect(minute, &QTimer::timeout, this, &ActivityPanel::refresh);
    minute->start();
}

void ActivityPanel::refreshSoon()
{
    if (!m_soon->isActive())
        m_soon->start();
}

void ActivityPanel::refresh()
{
    m_soon->stop();
    m_client.call(
        this, [](Database &db) { return AuditRepository(db).hourlyCounts(24); },
        [this](const StoreResult<QList<HourlyCount>> &counts) {
            if (!counts)
                return;
            m_chart->setCounts(*counts);
            emit refreshed();
        });
}

} // namespace daarion::console
