#pragma once
// API keys of agents and services: only the prefix is ever known, never the key.

#include "console/common/record_table_model.h"

#include "shared/store/api_key_repository.h"

#include <QHash>

namespace daarion::console {

class ApiKeyListModel : public RecordTableModel<store::ApiKeyRecord>
{
    Q_OBJECT

public:
    enum Column { Prefix, Actor, Microdao, CreatedBy, Created, Expires, LastUsed, State, ColumnCount };

    using RecordTableModel::RecordTableModel;

    const store::ApiKeyRecord &keyAt(int row) const { return recordAt(row); }
    int rowOfKey(const QUuid &id) const; // -1 when not shown
    // Usernames of the users who created keys, for the CreatedBy column.
    void setCreatorNames(QHash<QUuid, QString> names);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QHash<QUuid, QString> m_creatorNames;
};

} // namespace daarion::console
