#include "console/audit/audit_list_model.h"

#include "console/common/display_format.h"

#include <QBrush>
#include <QColor>

namespace daarion::console {

qint64 AuditListModel::newestId() const
{
    qint64 newest = 0;
    for (const store::AuditRecord &record : m_records)
        newest = std::max(newest, record.id);
    return newest;
}

int AuditListModel::prependNewer(const QList<store::AuditRecord> &newestFirst)
{
    const qint64 newest = newestId();
    QList<store::AuditRecord> fresh;
    for (const store::AuditRecord &record : newestFirst) {
        if (record.id > newest)
            fresh.append(record);
    }
    if (fresh.isEmpty())
        return 0;
    std::sort(fresh.begin(), fresh.end(), [](const auto &a, const auto &b) { return a.id > b.id; });
    beginInsertRows(QModelIndex(), 0, int(fresh.size()) - 1);
    m_records = fresh + m_records;
    endInsertRows();
    if (m_records.size() > MaximumRows) {
        beginRemoveRows(QModelIndex(), MaximumRows, int(m_records.size()) - 1);
        m_records.resize(MaximumRows);
        endRemoveRows();
    }
    return int(fresh.size());
}

int AuditListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AuditListModel::cellText(const store::AuditRecord &record, Column column)
{
    const store::AuditEvent &event = record.event;
    switch (column) {
    case Time: return display::time(record.occurredAt);
    case Event: return record.eventName;
    case Outcome: return event.success ? QStringLiteral("success") : QStringLiteral("failure");
    case ErrorCode: return event.errorCode;
    case User: return event.username.isEmpty() && !event.userId.isNull() ? event.userId.toString(QUuid::WithoutBraces)
                                                                          : event.username;
    case Credential: return display::shortCredentialId(event.credentialId);
    case ClientIp: return event.clientIp;
    case Actor: return event.actor;
    case ColumnCount: break;
    }
    return {};
}

QString AuditListModel::columnName(Column column)
{
    switch (column) {
    case Time: return tr("Time");
    case Event: return tr("Event");
    case Outcome: return tr("Outcome");
    case ErrorCode: return tr("Error code");
    case User: return tr("User");
    case Credential: return tr("Credential");
    case ClientIp: return tr("Client IP");
    case Actor: return tr("Actor");
    case ColumnCount: break;
    }
    return {};
}

QVariant AuditListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::AuditRecord &record = eventAt(index.row());
    if (role == Qt::DisplayRole)
        return cellText(record, Column(index.column()));
    if (role == Qt::ForegroundRole && !record.event.success)
        return QBrush(QColor(0x9c, 0x00, 0x06));
    if (role == Qt::ToolTipRole && index.column() == Credential)
        return record.event.credentialId;
    if (role == Qt::ToolTipRole && index.column() == Time)
        return record.occurredAt.toUTC().toString(Qt::ISODateWithMs);
    return {};
}

QVariant AuditListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    return columnName(Column(section));
}

} // namespace daarion::console
