// daarion-auth-console: the operator desktop console. Wiring only.
#include "console/backend/audit_listener.h"
#include "console/backend/store_client.h"
#include "console/common/operator_identity.h"
#include "console/connection/connection_startup.h"
#include "console/console_options.h"
#include "console/main_window.h"
#include "console/window_screenshot.h"

#include <QApplication>
#include <QSettings>

using namespace daarion::console;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("DAARION"));
    QApplication::setApplicationName(QStringLiteral("daarion-auth-console"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QString problem;
    const auto options = parseConsoleOptions(QApplication::arguments(), &problem);
    if (!options) {
        qCritical("%s", qPrintable(problem));
        return 2;
    }

    QSettings settings;
    const auto parameters = ConnectionStartup(settings, qEnvironmentVariable("DATABASE_URL")).run();
    if (!parameters)
        return 1;

    StoreClient client(*parameters);
    AuditListener listener(*parameters);
    MainWindow window(
        client, OperatorIdentity{options->operatorName, options->readOnly, options->publicUrl});
    window.followAuditEvents(listener);
    window.showView(options->view);
    window.show();
    window.reloadAll();
    if (!options->screenshotPath.isEmpty())
        captureWhenLoaded(window, options->screenshotPath);
    return app.exec();
}
