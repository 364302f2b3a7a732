#pragma once
// The audit trail: filters by event type, user and time range; new events
// appear by themselves (AuditListener's NOTIFY feed); export to CSV; below
// the table, whether the chain is intact (ChainStatus).

#include "console/common/list_page.h"

#include "shared/store/audit_repository.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QPushButton;

namespace daarion::console {

class AuditListModel;
class ChainStatus;

class AuditPage : public ListPage
{
    Q_OBJECT

public:
    explicit AuditPage(StoreClient &client, QWidget *parent = nullptr);

    AuditListModel *model() const { return m_model; }
    ChainStatus *chainStatus() const { return m_chain; }

    // The filter the controls describe.
    store::AuditFilter filter() const;
    void setEventFilter(const QString &event);   // empty = every event
    void setUserFilter(const QString &username); // exact; empty = everyone
    void setTimeRange(const QDateTime &from, const QDateTime &to); // invalid = unbounded

    // Writes every event matching the filter (up to 5000) to `path`; the
    // answer comes as exported().
    void exportCsv(const QString &path);

public slots:
    void reload() override;
    // Fetches events newer than the newest shown (NOTIFY, resync).
    void fetchNewer();

signals:
    void exported(const QString &path, bool ok, const QString &message);
    void eventsArrived(int count); // live rows were added

private:
    void chooseExportFile();
    void loadEventNames();

    AuditListModel *m_model;
    ChainStatus *m_chain;
    QComboBox *m_event;
    QLineEdit *m_user;
    QCheckBox *m_fromOn;
    QDateTimeEdit *m_from;
    QCheckBox *m_toOn;
    QDateTimeEdit *m_to;
    bool m_fetching = false;
    bool m_fetchAgain = false;
};

} // namespace daarion::console
