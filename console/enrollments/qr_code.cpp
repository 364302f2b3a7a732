#include "console/enrollments/qr_code.h"

#include <QPainter>

#include <qrencode.h>

#include <memory>

namespace daarion::console
{

std::optional<QrCode> QrCode::encode(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    // All in 8-bit mode: the URL's bytes exactly (a token is case-sensitive).
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(bytes.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code || code->width <= 0)
        return std::nullopt;
    QrCode qr;
    qr.m_size = code->width;
    qr.m_modules.resize(qsizetype(code->width) * code->width);
    for (int i = 0; i < qr.m_modules.size(); ++i)
        qr.m_modules[i] = (code->data[i] & 0x01) !=
                          0; // bit 0: dark module; the rest is libqrencode's bookkeeping
    return qr;
}

QImage QrCode::image(int moduleSize) const
{
    const int side = (m_size + 2 * kQuietZone) * moduleSize;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size; ++x) {
            if (isDark(x, y))
                painter.fillRect((x + kQuietZone) * moduleSize, (y + kQuietZone) * moduleSize,
                                 moduleSize, moduleSize, Qt::black);
        }
    }
    return image;
}

} // namespace daarion::console
