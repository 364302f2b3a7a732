#include "console/access/membership_list_model.h"

#include "console/common/display_format.h"

namespace daarion::console {

int MembershipListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MembershipListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount) || role != Qt::DisplayRole)
        return {};
    const store::MembershipRecord &membership = membershipAt(index.row());
    switch (Column(index.column())) {
    case Microdao: return membership.microdaoId;
    case User: return membership.username;
    case Role: return membership.role;
    case Since: return display::time(membership.createdAt);
    case ColumnCount: break;
    }
    return {};
}

QVariant MembershipListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Microdao: return tr("microDAO");
    case User: return tr("User");
    case Role: return tr("Role");
    case Since: return tr("Since");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
