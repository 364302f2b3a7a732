#pragma once
// Sign-ins and failures per hour over the last 24 hours, drawn with QPainter
// (Qt Charts is GPL; this needs twenty lines of painting).

#include "shared/store/audit_repository.h"

#include <QWidget>

namespace daarion::console {

class ActivityChart : public QWidget
{
    Q_OBJECT

public:
    explicit ActivityChart(QWidget *parent = nullptr);

    void setCounts(QList<store::HourlyCount> counts);
    const QList<store::HourlyCount> &counts() const { return m_counts; }
    int totalSignIns() const;
    int totalFailures() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<store::HourlyCount> m_counts;
};

} // namespace daarion::console
