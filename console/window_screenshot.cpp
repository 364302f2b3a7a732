#include "console/window_screenshot.h"

#include "console/audit/activity_panel.h"
#include "console/main_window.h"
#include "console/users/users_page.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>

#include <memory>

namespace daarion::console {

void captureWhenLoaded(MainWindow &window, const QString &path)
{
    struct Pending {
        bool users = false;
        bool chart = false;
        bool done = false;
    };
    auto pending = std::make_shared<Pending>();
    auto capture = [&window, path, pending] {
        if (pending->done)
            return;
        pending->done = true;
        const bool saved = window.grab().save(path, "PNG");
        qInfo("screenshot %s: %s", qPrintable(path), saved ? "saved" : "FAILED");
        QCoreApplication::exit(saved ? 0 : 1);
    };
    // A moment after both answered, for the layout to settle.
    auto maybe = [pending, capture] {
        if (pending->users && pending->chart)
            QTimer::singleShot(400, capture);
    };
    QObject::connect(window.usersPage(), &ListPage::loaded, &window, [pending, maybe] {
        pending->users = true;
        maybe();
    });
    QObject::connect(window.activityPanel(), &ActivityPanel::refreshed, &window, [pending, maybe] {
        pending->chart = true;
        maybe();
    });
    QTimer::singleShot(15000, &window, capture); // whatever is there by then
}

} // namespace daarion::console
