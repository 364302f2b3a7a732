#pragma once
// The sessions table: who, when, from where, and the state the database
// computed (live, expired, revoked, rotated).

#include "console/common/record_table_model.h"

#include "shared/store/session_repository.h"

namespace daarion::console {

class SessionListModel : public RecordTableModel<store::SessionWithOwner>
{
    Q_OBJECT

public:
    enum Column { Owner, State, Created, LastActivity, Expires, ClientIp, UserAgent, ColumnCount };

    using RecordTableModel::RecordTableModel;

    const store::SessionWithOwner &sessionAt(int row) const { return recordAt(row); }
    int rowOfSession(const QUuid &id) const; // -1 when not shown

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace daarion::console
