#pragma once
// Pending enrollment links (neither used, revoked nor expired): whose, what
// kind, whether still in the cooling-off delay, until when, who issued it
// and why.

#include "console/common/record_table_model.h"

#include "shared/store/enrollment_repository.h"

#include <QDateTime>

namespace daarion::console
{

class EnrollmentListModel : public RecordTableModel<store::EnrollmentRecord>
{
    Q_OBJECT

public:
    enum Column {
        Username,
        Kind,
        State,
        Created,
        UsableAt,
        ExpiresAt,
        IssuedBy,
        Note,
        ColumnCount
    };

    using RecordTableModel::RecordTableModel;

    const store::EnrollmentRecord &linkAt(int row) const { return recordAt(row); }
    // The time states are judged at (the list's load time).
    void setNow(const QDateTime &now) { m_now = now; }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QDateTime m_now = QDateTime::currentDateTimeUtc();
};

} // namespace daarion::console
