#include "console/authenticators/authenticator_icon.h"

#include <QBuffer>
#include <QCache>
#include <QGuiApplication>
#include <QImageReader>
#include <QPixmap>

namespace daarion::console {

namespace {

constexpr int kIconPixels = 32;

QIcon decode(const QString &dataUri)
{
    // data:image/<type>;base64,<data> — the parsers already checked the shape.
    const qsizetype comma = dataUri.indexOf(QLatin1Char(','));
    if (!dataUri.startsWith(QLatin1String("data:image/")) || comma < 0)
        return {};
    const QString mime = dataUri.mid(11, comma - 11).section(QLatin1Char(';'), 0, 0);
    const QByteArray format = mime == QLatin1String("svg+xml") ? QByteArray("svg") : mime.toLatin1();
    QByteArray bytes = QByteArray::fromBase64(dataUri.mid(comma + 1).toLatin1());
    QBuffer buffer(&bytes);
    QImageReader reader(&buffer, format);
    // Vector icons are drawn at the size shown; large bitmaps are scaled down.
    const QSize size = reader.size();
    if (format == "svg" || size.width() > kIconPixels * 2 || size.height() > kIconPixels * 2)
        reader.setScaledSize(QSize(kIconPixels, kIconPixels));
    const QImage image = reader.read();
    if (image.isNull())
        return {};
    return QIcon(QPixmap::fromImage(image));
}

} // namespace

QIcon authenticatorIcon(const QString &dataUri)
{
    // QPixmap needs a GUI application (the console's models also run under QCoreApplication in tests).
    if (dataUri.isEmpty() || !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return {};
    static QCache<QString, QIcon> cache(256); // the GUI thread only
    if (const QIcon *icon = cache.object(dataUri))
        return *icon;
    const QIcon icon = decode(dataUri);
    cache.insert(dataUri, new QIcon(icon));
    return icon;
}

} // namespace daarion::console
