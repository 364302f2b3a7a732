#pragma once
// microDAO memberships: who belongs where, with which role, since when.

#include "console/common/record_table_model.h"

#include "shared/store/membership_repository.h"

namespace daarion::console {

class MembershipListModel : public RecordTableModel<store::MembershipRecord>
{
    Q_OBJECT

public:
    enum Column { Microdao, User, Role, Since, ColumnCount };

    using RecordTableModel::RecordTableModel;

    const store::MembershipRecord &membershipAt(int row) const { return recordAt(row); }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace daarion::console
