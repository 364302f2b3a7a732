#include "console/authenticators/provider_chart.h"

#include <QPainter>

#include <algorithm>

namespace daarion::console {

namespace {
const QColor barColor(0x15, 0x65, 0xc0);
const QColor compromisedColor(0xc6, 0x28, 0x28);
} // namespace

ProviderChart::ProviderChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Passkeys by provider (red: a compromised model)"));
}

void ProviderChart::setBars(QList<Bar> bars)
{
    std::stable_sort(bars.begin(), bars.end(), [](const Bar &a, const Bar &b) { return a.passkeys > b.passkeys; });
    if (bars.size() > kMaxBars) {
        Bar other{tr("other (%1 models)").arg(bars.size() - kMaxBars), 0, false};
        for (qsizetype i = kMaxBars; i < bars.size(); ++i)
            other.passkeys += bars.at(i).passkeys;
        bars.resize(kMaxBars);
        bars.append(other);
    }
    m_bars = std::move(bars);
    updateGeometry();
    update();
}

int ProviderChart::totalPasskeys() const
{
    int total = 0;
    for (const Bar &bar : m_bars)
        total += bar.passkeys;
    return total;
}

QSize ProviderChart::sizeHint() const
{
    const int line = fontMetrics().height();
    return {600, line * 2 + int(std::max<qsizetype>(1, m_bars.size())) * (line + 6)};
}

QSize ProviderChart::minimumSizeHint() const
{
    return {240, sizeHint().height()};
}

void ProviderChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics(font());
    const int line = metrics.height();
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(8, 2, width() - 16, line), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Passkeys by provider: %1 passkeys").arg(totalPasskeys()));
    if (m_bars.isEmpty()) {
        painter.drawText(QRect(8, line + 6, width() - 16, line), Qt::AlignLeft | Qt::AlignVCenter, tr("no passkeys"));
        return;
    }
    int labelWidth = 0;
    for (const Bar &bar : m_bars)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(bar.label));
    labelWidth = std::min(labelWidth, width() / 3);
    const int countWidth = metrics.horizontalAdvance(QString::number(m_bars.first().passkeys)) + 8;
    const int left = 8 + labelWidth + 8;
    const int room = width() - left - countWidth - 8;
    if (room < 16)
        return;
    const int maximum = std::max(1, m_bars.first().passkeys);
    int y = line + 8;
    for (const Bar &bar : m_bars) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(8, y, labelWidth, line), Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(bar.label, Qt::ElideRight, labelWidth));
        const int length = std::max(bar.passkeys > 0 ? 2 : 0, room * bar.passkeys / maximum);
        painter.fillRect(QRect(left, y + 2, length, line - 4), bar.compromised ? compromisedColor : barColor);
        painter.drawText(QRect(left + length + 4, y, countWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
                         QString::number(bar.passkeys));
        y += line + 6;
    }
}

} // namespace daarion::console
