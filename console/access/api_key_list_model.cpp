#include "console/access/api_key_list_model.h"

#include "console/common/display_format.h"

#include <QBrush>
#include <QPalette>

namespace daarion::console {

int ApiKeyListModel::rowOfKey(const QUuid &id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).id == id)
            return row;
    }
    return -1;
}

void ApiKeyListModel::setCreatorNames(QHash<QUuid, QString> names)
{
    m_creatorNames = std::move(names);
    if (!m_records.isEmpty())
        emit dataChanged(index(0, CreatedBy), index(int(m_records.size()) - 1, CreatedBy), {Qt::DisplayRole});
}

int ApiKeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApiKeyListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::ApiKeyRecord &key = keyAt(index.row());
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Prefix: return key.keyPrefix + QChar(0x2026);
        case Actor: return key.actorId();
        case Microdao: return key.microdaoId;
        case CreatedBy:
            if (key.createdByUserId.isNull())
                return tr("operator");
            return m_creatorNames.value(key.createdByUserId, key.createdByUserId.toString(QUuid::WithoutBraces));
        case Created: return display::time(key.createdAt);
        case Expires: return display::time(key.expiresAt, tr("never"));
        case LastUsed: return display::time(key.lastUsedAt, tr("never"));
        case State:
            if (key.state == store::ApiKeyState::Revoked)
                return tr("revoked %1").arg(display::time(key.revokedAt));
            return store::apiKeyStateName(key.state);
        case ColumnCount: break;
        }
    } else if (role == Qt::ForegroundRole && key.state != store::ApiKeyState::Live) {
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
    }
    return {};
}

QVariant ApiKeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Prefix: return tr("Key");
    case Actor: return tr("Actor");
    case Microdao: return tr("microDAO");
    case CreatedBy: return tr("Created by");
    case Created: return tr("Created");
    case Expires: return tr("Expires");
    case LastUsed: return tr("Last used");
    case State: return tr("State");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
