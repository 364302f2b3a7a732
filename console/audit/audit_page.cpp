#include "console/audit/audit_page.h"

#include "console/audit/audit_csv.h"
#include "console/audit/audit_list_model.h"
#include "console/audit/chain_status.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>

namespace daarion::console {

using namespace daarion::store;

namespace {
const QString everyEvent = QString();
}

AuditPage::AuditPage(StoreClient &client, QWidget *parent)
    : ListPage(client, parent), m_model(new AuditListModel(this)),
      m_chain(new ChainStatus(client, this)), m_event(new QComboBox(this)),
      m_user(new QLineEdit(this)), m_fromOn(new QCheckBox(tr("From"), this)),
      m_from(new QDateTimeEdit(this)), m_toOn(new QCheckBox(tr("to"), this)),
      m_to(new QDateTimeEdit(this))
{
    m_event->addItem(tr("Every event"), everyEvent);
    // The names this code base writes, then whatever else the table holds.
    for (const store::AuditEventSpec &spec : store::kAuditEventTable)
        m_event->addItem(QString::fromLatin1(spec.name), QString::fromLatin1(spec.name));
    m_user->setPlaceholderText(tr("username (exact)"));
    m_user->setClearButtonEnabled(true);
    const QDateTime now = QDateTime::currentDateTime();
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setEnabled(false);
    }
    m_from->setDateTime(now.addDays(-1));
    m_to->setDateTime(now.addSecs(3600));
    auto *exportButton = new QPushButton(tr("Export CSV…"), this);

    filterRow()->addWidget(m_event);
    filterRow()->addWidget(m_user, 1);
    filterRow()->addWidget(m_fromOn);
    filterRow()->addWidget(m_from);
    filterRow()->addWidget(m_toOn);
    filterRow()->addWidget(m_to);
    filterRow()->addWidget(exportButton);

    connect(m_event, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(m_user, &QLineEdit::editingFinished, this, &AuditPage::reload);
    connect(m_fromOn, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_toOn, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    connect(m_fromOn, &QCheckBox::toggled, this, &AuditPage::reload);
    connect(m_toOn, &QCheckBox::toggled, this, &AuditPage::reload);
    connect(m_from, &QDateTimeEdit::editingFinished, this, &AuditPage::reload);
    connect(m_to, &QDateTimeEdit::editingFinished, this, &AuditPage::reload);
    connect(exportButton, &QPushButton::clicked, this, &AuditPage::chooseExportFile);

    table()->setModel(m_model);
    watchSelection();
    addBelowTable(m_chain);
    loadEventNames();
    m_chain->check();
}

AuditFilter AuditPage::filter() const
{
    AuditFilter filter;
    const QString event = m_event->currentData().toString();
    if (!event.isEmpty())
        filter.events = {event};
    filter.username = m_user->text().trimmed();
    if (m_fromOn->isChecked())
        filter.from = m_from->dateTime().toUTC();
    if (m_toOn->isChecked())
        filter.to = m_to->dateTime().toUTC();
    filter.limit = 1000;
    return filter;
}

void AuditPage::setEventFilter(const QString &event)
{
    int index = m_event->findData(event);
    if (index < 0) {
        m_event->addItem(event, event);
        index = m_event->count() - 1;
    }
    m_event->setCurrentIndex(index);
    reload();
}

void AuditPage::setUserFilter(const QString &username)
{
    m_user->setText(username);
    reload();
}

void AuditPage::setTimeRange(const QDateTime &from, const QDateTime &to)
{
    const QSignalBlocker blockFrom(m_fromOn), blockTo(m_toOn);
    m_fromOn->setChecked(from.isValid());
    m_from->setEnabled(from.isValid());
    if (from.isValid())
        m_from->setDateTime(from.toLocalTime());
    m_toOn->setChecked(to.isValid());
    m_to->setEnabled(to.isValid());
    if (to.isValid())
        m_to->setDateTime(to.toLocalTime());
    reload();
}

void AuditPage::loadEventNames()
{
    m_client.call(
        this, [](Database &db) { return AuditRepository(db).eventNames(); },
        [this](const StoreResult<QStringList> &names) {
            if (!names)
                return;
            for (const QString &name : *names) {
                if (m_event->findData(name) < 0)
                    m_event->addItem(name, name);
            }
        });
}

void AuditPage::reload()
{
    const AuditFilter query = filter();
    const quint64 number = beginQuery();
    m_client.call(
        this, [query](Database &db) { return AuditRepository(db).query(query); },
        [this, number](const StoreResult<QList<AuditRecord>> &records) {
            if (!isNewest(number))
                return;
            if (!records)
                return reportFailure(describeStoreError(records.error()));
            m_model->setRecords(*records);
            reportLoaded(int(records->size()));
        });
}

void AuditPage::fetchNewer()
{
    // One fetch at a time; a burst of notifications becomes one more fetch.
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    m_fetching = true;
    m_fetchAgain = false;
    AuditFilter query = filter();
    query.afterId = m_model->newestId();
    query.limit = 1000;
    const quint64 shownQuery = currentQuery();
    m_client.call(
        this, [query](Database &db) { return AuditRepository(db).query(query); },
        [this, shownQuery](const StoreResult<QList<AuditRecord>> &records) {
            m_fetching = false;
            // Rows for a filter that was replaced meanwhile are not shown; ask again.
            if (!isNewest(shownQuery))
                m_fetchAgain = true;
            else if (records) {
                if (const int added = m_model->prependNewer(*records); added > 0) {
                    setStatus(tr("%n row(s)", nullptr, int(m_model->rowCount())));
                    emit eventsArrived(added);
                }
            }
            if (m_fetchAgain)
                fetchNewer();
        });
}

void AuditPage::chooseExportFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export audit trail"),
                                                      QStringLiteral("audit-%1.csv").arg(
                                                          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void AuditPage::exportCsv(const QString &path)
{
    AuditFilter query = filter();
    query.limit = 5000;
    m_client.call(
        this, [query](Database &db) { return AuditRepository(db).query(query); },
        [this, path](const StoreResult<QList<AuditRecord>> &records) {
            if (!records) {
                const QString message = describeStoreError(records.error());
                setStatus(tr("Export failed: %1").arg(message));
                return emit exported(path, false, message);
            }
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || !writeAuditCsv(file, *records) || !file.commit()) {
                const QString message = file.errorString();
                setStatus(tr("Export failed: %1").arg(message));
                return emit exported(path, false, message);
            }
            const QString message = tr("Exported %n event(s) to %1", nullptr, int(records->size())).arg(path);
            setStatus(message);
            emit exported(path, true, message);
        });
}

} // namespace daarion::console
