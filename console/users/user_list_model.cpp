#include "console/users/user_list_model.h"

#include "console/common/display_format.h"

#include <QBrush>
#include <QPalette>

namespace daarion::console {

int UserListModel::rowOfUser(const QUuid &id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).user.id == id)
            return row;
    }
    return -1;
}

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::UserSummary &row = userAt(index.row());
    const store::UserRecord &user = row.user;
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Username: return user.username;
        case DisplayName: return user.displayName;
        case Created: return display::time(user.createdAt);
        case LastSignIn: return display::time(user.lastLoginAt, tr("never"));
        case Passkeys: return row.passkeyCount;
        case LiveSessions: return row.liveSessionCount;
        case State: return user.disabled() ? tr("disabled %1").arg(display::time(user.disabledAt)) : tr("enabled");
        case ColumnCount: break;
        }
    } else if (role == Qt::ForegroundRole && user.disabled()) {
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
    } else if (role == Qt::TextAlignmentRole && (index.column() == Passkeys || index.column() == LiveSessions)) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && index.column() == Username) {
        return user.id.toString(QUuid::WithoutBraces);
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Username: return tr("Username");
    case DisplayName: return tr("Display name");
    case Created: return tr("Created");
    case LastSignIn: return tr("Last sign-in");
    case Passkeys: return tr("Passkeys");
    case LiveSessions: return tr("Live sessions");
    case State: return tr("State");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
