#pragma once
// Passkeys by provider as horizontal bars, drawn with QPainter (Qt Charts is
// GPL): the largest providers by name, the rest summed as "other".

#include <QList>
#include <QString>
#include <QWidget>

namespace daarion::console {

class ProviderChart : public QWidget
{
    Q_OBJECT

public:
    struct Bar {
        QString label;
        int passkeys = 0;
        bool compromised = false; // drawn red
    };
    static constexpr int kMaxBars = 8; // the rest become one "other" bar

    explicit ProviderChart(QWidget *parent = nullptr);

    // Sorted largest first and cut to kMaxBars (plus "other").
    void setBars(QList<Bar> bars);
    const QList<Bar> &bars() const { return m_bars; }
    int totalPasskeys() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Bar> m_bars;
};

} // namespace daarion::console
