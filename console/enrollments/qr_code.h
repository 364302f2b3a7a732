#pragma once
// A QR code for an enrollment link, made by Debian's libqrencode (error
// correction M, byte mode, the smallest version that holds the text) and
// drawn black on white with the standard four-module quiet zone, so a phone
// camera opens the link without typing it.

#include <QImage>
#include <QString>
#include <QVector>

#include <optional>

namespace daarion::console
{

class QrCode
{
public:
    // nullopt when the text does not fit a QR code (more than ~2 KB).
    static std::optional<QrCode> encode(const QString &text);

    int size() const { return m_size; } // modules per side
    bool isDark(int x, int y) const { return m_modules.at(y * m_size + x); }

    static constexpr int kQuietZone = 4; // modules of white around the code
    // The code at `moduleSize` pixels per module, with the quiet zone.
    QImage image(int moduleSize) const;

private:
    int m_size = 0;
    QVector<bool> m_modules; // row-major, true = dark
};

} // namespace daarion::console
