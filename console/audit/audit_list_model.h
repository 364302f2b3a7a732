#pragma once
// The audit trail, newest first. A query's answer replaces the rows; rows
// that arrive live (LISTEN/NOTIFY) are inserted on top.

#include "console/common/record_table_model.h"

#include "shared/store/audit_repository.h"

namespace daarion::console {

class AuditListModel : public RecordTableModel<store::AuditRecord>
{
    Q_OBJECT

public:
    enum Column { Time, Event, Outcome, ErrorCode, User, Credential, ClientIp, Actor, ColumnCount };
    static constexpr int MaximumRows = 5000; // live rows push the oldest out

    using RecordTableModel::RecordTableModel;

    const store::AuditRecord &eventAt(int row) const { return recordAt(row); }
    qint64 newestId() const; // 0 when empty
    // Inserts rows newer than newestId() on top (input newest first); returns how many.
    int prependNewer(const QList<store::AuditRecord> &newestFirst);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The text of a cell as shown (also what the CSV export writes).
    static QString cellText(const store::AuditRecord &record, Column column);
    static QString columnName(Column column);
};

} // namespace daarion::console
