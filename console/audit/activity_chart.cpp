#include "console/audit/activity_chart.h"

#include <QPainter>
#include <numeric>

#include <algorithm>
#include <utility>

namespace daarion::console {

namespace {
const QColor signInColor(0x2e, 0x7d, 0x32);
const QColor failureColor(0xc6, 0x28, 0x28);
} // namespace

ActivityChart::ActivityChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Sign-ins (green) and failed sign-ins (red) per hour, last 24 hours"));
}

void ActivityChart::setCounts(QList<store::HourlyCount> counts)
{
    m_counts = std::move(counts);
    update();
}

int ActivityChart::totalSignIns() const
{
    int total = 0;
    for (const auto &hour : m_counts)
        total += hour.signIns;
    return total;
}

int ActivityChart::totalFailures() const
{
    int total = 0;
    for (const auto &hour : m_counts)
        total += hour.failures;
    return total;
}

QSize ActivityChart::sizeHint() const
{
    return {600, 130};
}

QSize ActivityChart::minimumSizeHint() const
{
    return {240, 110};
}

void ActivityChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics(font());
    const int line = metrics.height();

    // Title and legend on the first line.
    painter.setPen(palette().color(QPalette::WindowText));
    const QString title = tr("Last 24 hours: %1 sign-ins, %2 failures").arg(totalSignIns()).arg(totalFailures());
    painter.drawText(QRect(8, 2, width() - 16, line), Qt::AlignLeft | Qt::AlignVCenter, title);
    // Legend, right-aligned on the same line.
    int legendX = width() - 8;
    for (const auto &[label, color] : {std::pair{tr("failures"), failureColor}, std::pair{tr("sign-ins"), signInColor}}) {
        const int textWidth = metrics.horizontalAdvance(label);
        legendX -= textWidth;
        painter.drawText(QRect(legendX, 2, textWidth, line), Qt::AlignLeft | Qt::AlignVCenter, label);
        legendX -= int(line * 0.7) + 4;
        painter.fillRect(QRectF(legendX, 2 + line * 0.2, line * 0.6, line * 0.6), color);
        legendX -= 14;
    }

    const int maximum = std::max(1, std::accumulate(m_counts.cbegin(), m_counts.cend(), 1, [](int m, const auto &h) {
                                        return std::max({m, h.signIns, h.failures});
                                    }));
    const QString maximumLabel = QString::number(maximum);
    const int axisWidth = metrics.horizontalAdvance(maximumLabel) + 8;
    const QRect plot(8 + axisWidth, line + 8, width() - 16 - axisWidth, height() - 2 * line - 14);
    if (plot.width() < 24 || plot.height() < 12)
        return;

    // Axis, the maximum and a grid line at half.
    const QColor grid = palette().color(QPalette::Mid);
    painter.setPen(grid);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    painter.drawLine(plot.left(), plot.top(), plot.right(), plot.top());
    painter.setPen(QPen(grid, 1, Qt::DotLine));
    painter.drawLine(plot.left(), plot.center().y(), plot.right(), plot.center().y());
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(4, plot.top() - line / 2, axisWidth, line), Qt::AlignRight | Qt::AlignVCenter, maximumLabel);
    painter.drawText(QRect(4, plot.bottom() - line / 2, axisWidth, line), Qt::AlignRight | Qt::AlignVCenter,
                     QStringLiteral("0"));

    if (m_counts.isEmpty()) {
        painter.drawText(plot, Qt::AlignCenter, tr("no data"));
        return;
    }
    // Each hour: a green bar (sign-ins) and a red bar (failures) side by side.
    const qreal slot = qreal(plot.width()) / m_counts.size();
    const qreal bar = std::max<qreal>(1.0, slot * 0.38);
    auto barHeight = [&](int value) { return qreal(plot.height()) * value / maximum; };
    for (int i = 0; i < m_counts.size(); ++i) {
        const store::HourlyCount &hour = m_counts.at(i);
        const qreal x = plot.left() + i * slot + slot * 0.1;
        if (hour.signIns > 0)
            painter.fillRect(QRectF(x, plot.bottom() - barHeight(hour.signIns), bar, barHeight(hour.signIns)),
                             signInColor);
        if (hour.failures > 0)
            painter.fillRect(QRectF(x + bar, plot.bottom() - barHeight(hour.failures), bar, barHeight(hour.failures)),
                             failureColor);
        // An hour label every 6 hours, local time.
        if (i % 6 == 0 || i == m_counts.size() - 1) {
            const QString label = hour.hour.toLocalTime().toString(QStringLiteral("HH:mm"));
            painter.drawText(QRectF(plot.left() + i * slot - 20, plot.bottom() + 2, slot + 40, line),
                             Qt::AlignHCenter | Qt::AlignTop, label);
        }
    }
}

} // namespace daarion::console
