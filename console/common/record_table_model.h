#pragma once
// The shared half of the console's table models: a list of records of one
// type, replaced whole when a query answers. Each view's model adds its
// column enum and what each cell shows.

#include <QAbstractTableModel>
#include <QList>

namespace daarion::console {

template <typename Record>
class RecordTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_records.size());
    }

    void setRecords(QList<Record> records)
    {
        beginResetModel();
        m_records = std::move(records);
        endResetModel();
    }

    const QList<Record> &records() const { return m_records; }
    const Record &recordAt(int row) const { return m_records.at(row); }

protected:
    bool validCell(const QModelIndex &index, int columnCount) const
    {
        return index.isValid() && !index.parent().isValid() && index.row() >= 0 &&
               index.row() < m_records.size() && index.column() >= 0 && index.column() < columnCount;
    }

    QList<Record> m_records;
};

} // namespace daarion::console
