#pragma once
// The users table: one row per account with its passkey and live-session counts.

#include "console/common/record_table_model.h"

#include "shared/store/user_repository.h"

namespace daarion::console {

class UserListModel : public RecordTableModel<store::UserSummary>
{
    Q_OBJECT

public:
    enum Column { Username, DisplayName, Created, LastSignIn, Passkeys, LiveSessions, State, ColumnCount };

    using RecordTableModel::RecordTableModel;

    const store::UserSummary &userAt(int row) const { return recordAt(row); }
    int rowOfUser(const QUuid &id) const; // -1 when not shown

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace daarion::console
