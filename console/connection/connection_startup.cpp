#include "console/connection/connection_startup.h"

#include "console/connection/connection_check.h"
#include "console/connection/connection_dialog.h"
#include "console/connection/connection_settings.h"

#include <QApplication>
#include <QEventLoop>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QThread>

#include <memory>

namespace daarion::console {

using namespace daarion::store;

namespace {

// The check on a thread of its own, with a small window saying what happens.
StoreCheck checkWithProgress(const ConnectionParameters &parameters)
{
    QProgressDialog progress(QObject::tr("Connecting to %1…").arg(parameters.redacted()), QString(), 0, 0);
    progress.setWindowTitle(QObject::tr("daarion-auth console"));
    progress.setMinimumDuration(300);
    std::optional<StoreCheck> result;
    std::unique_ptr<QThread> thread(QThread::create([&result, parameters] { result = checkConsoleDatabase(parameters); }));
    QEventLoop loop;
    QObject::connect(thread.get(), &QThread::finished, &loop, &QEventLoop::quit, Qt::QueuedConnection);
    thread->start();
    loop.exec();
    thread->wait();
    return *result;
}

} // namespace

ConnectionStartup::ConnectionStartup(QSettings &settings, QString databaseUrl)
    : m_settings(settings), m_databaseUrl(std::move(databaseUrl))
{
}

std::optional<ConnectionParameters> ConnectionStartup::askWithDialog(const ConnectionParameters &initial,
                                                                     const QString &problem)
{
    ConnectionDialog dialog(initial, problem);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.parameters();
}

std::optional<ConnectionParameters> ConnectionStartup::run()
{
    std::optional<ConnectionParameters> chosen;
    bool fromDialog = false;
    if (!m_databaseUrl.isEmpty()) {
        auto parsed = parseDatabaseUrl(m_databaseUrl);
        if (parsed) {
            chosen = *parsed;
        } else {
            chosen = askWithDialog(loadConnectionSettings(m_settings),
                                   QObject::tr("DATABASE_URL is not valid: %1").arg(parsed.error().message));
            fromDialog = true;
        }
    } else {
        chosen = askWithDialog(loadConnectionSettings(m_settings), QString());
        fromDialog = true;
    }
    while (chosen) {
        chosen->options = withConnectTimeout(chosen->options);
        const StoreCheck checked = checkWithProgress(*chosen);
        if (checked) {
            if (fromDialog)
                saveConnectionSettings(m_settings, *chosen);
            return chosen;
        }
        QMessageBox box(QMessageBox::Critical, QObject::tr("daarion-auth console"),
                        connectionProblemText(*chosen, checked.error()));
        QPushButton *retry = box.addButton(QObject::tr("Retry"), QMessageBox::AcceptRole);
        QPushButton *change = box.addButton(QObject::tr("Change connection…"), QMessageBox::ActionRole);
        box.addButton(QObject::tr("Quit"), QMessageBox::RejectRole);
        box.setDefaultButton(retry);
        box.exec();
        if (box.clickedButton() == retry)
            continue;
        if (box.clickedButton() != change)
            return std::nullopt;
        chosen = askWithDialog(*chosen, connectionProblemText(*chosen, checked.error()));
        fromDialog = true;
    }
    return std::nullopt;
}

} // namespace daarion::console
