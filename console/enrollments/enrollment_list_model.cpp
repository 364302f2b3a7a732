#include "console/enrollments/enrollment_list_model.h"

#include "console/common/display_format.h"

namespace daarion::console
{

int EnrollmentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnrollmentListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::EnrollmentRecord &link = linkAt(index.row());
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Username:
            return link.username;
        case Kind:
            return link.kind == store::EnrollmentKind::Invite ? tr("invite") : tr("recovery");
        case State:
            return link.stateAt(m_now) == store::EnrollmentState::Waiting
                       ? tr("waiting (cooling-off)")
                       : tr("usable");
        case Created:
            return display::time(link.createdAt);
        case UsableAt:
            return display::time(link.usableAt);
        case ExpiresAt:
            return display::time(link.expiresAt);
        case IssuedBy:
            return link.issuedBy;
        case Note:
            return link.note;
        case ColumnCount:
            break;
        }
    } else if (role == Qt::ToolTipRole && index.column() == Username) {
        return link.id.toString(QUuid::WithoutBraces);
    } else if (role == Qt::ToolTipRole && index.column() == Note) {
        return link.note;
    }
    return {};
}

QVariant EnrollmentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Username:
        return tr("User");
    case Kind:
        return tr("Kind");
    case State:
        return tr("State");
    case Created:
        return tr("Issued");
    case UsableAt:
        return tr("Usable from");
    case ExpiresAt:
        return tr("Expires");
    case IssuedBy:
        return tr("Issued by");
    case Note:
        return tr("Note");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace daarion::console
