#include "console/sessions/session_list_model.h"

#include "console/common/display_format.h"

#include <QBrush>
#include <QPalette>

namespace daarion::console {

using store::SessionState;

int SessionListModel::rowOfSession(const QUuid &id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).session.id == id)
            return row;
    }
    return -1;
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::SessionWithOwner &row = sessionAt(index.row());
    const store::SessionRecord &session = row.session;
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Owner: return row.username;
        case State:
            if (session.state == SessionState::Revoked && !session.revokeReason.isEmpty())
                return tr("revoked (%1)").arg(session.revokeReason);
            return store::sessionStateName(session.state);
        case Created: return display::time(session.createdAt);
        case LastActivity: return display::time(session.lastSeenAt);
        case Expires: return display::time(session.expiresAt);
        case ClientIp: return session.clientIp;
        case UserAgent: return session.userAgent;
        case ColumnCount: break;
        }
    } else if (role == Qt::ForegroundRole && session.state != SessionState::Live) {
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
    } else if (role == Qt::ToolTipRole) {
        if (index.column() == UserAgent)
            return session.userAgent;
        return tr("session %1, family %2").arg(session.id.toString(QUuid::WithoutBraces),
                                               session.familyId.toString(QUuid::WithoutBraces));
    }
    return {};
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Owner: return tr("Owner");
    case State: return tr("State");
    case Created: return tr("Created");
    case LastActivity: return tr("Last activity");
    case Expires: return tr("Expires");
    case ClientIp: return tr("Client IP");
    case UserAgent: return tr("User agent");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
