#include "console/authenticators/authenticator_list_model.h"

#include "console/authenticators/authenticator_icon.h"
#include "console/common/display_format.h"

#include "shared/metadata/authenticator_status.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>

namespace daarion::console {

QString AuthenticatorRow::displayName() const
{
    if (info)
        return info->name;
    if (model.aaguid.isEmpty() || model.aaguid == QByteArray(16, '\0'))
        return QCoreApplication::translate("AuthenticatorListModel", "(model not named by the authenticator)");
    return display::aaguid(model.aaguid);
}

int AuthenticatorListModel::rowOfAaguid(const QByteArray &aaguid) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).model.aaguid == aaguid)
            return row;
    }
    return -1;
}

bool AuthenticatorListModel::isCompromised(int row) const
{
    return metadata::isCompromisingStatusName(rowAt(row).model.status);
}

int AuthenticatorListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuthenticatorListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const AuthenticatorRow &row = rowAt(index.row());
    const bool compromised = isCompromised(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Name: return row.displayName();
        case Aaguid: return display::aaguid(row.model.aaguid);
        case Passkeys: return row.model.passkeys;
        case Flagged: return row.model.flagged;
        case Disabled: return row.model.disabled;
        case Status:
            if (row.model.status.isEmpty())
                return row.model.description.isEmpty() ? tr("not in FIDO metadata") : tr("no status");
            return compromised ? tr("%1 — COMPROMISED").arg(row.model.status) : row.model.status;
        case ColumnCount: break;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Name && row.info)
            return authenticatorIcon(row.info->iconLight);
        break;
    case Qt::ToolTipRole:
        if (compromised)
            return tr("The FIDO Metadata Service reports %1: new passkeys of this model are refused and "
                      "existing ones are flagged.")
                .arg(row.model.status);
        if (index.column() == Name && !row.model.description.isEmpty())
            return tr("FIDO metadata: %1").arg(row.model.description);
        break;
    case Qt::BackgroundRole:
        if (compromised)
            return QBrush(QColor(0xff, 0xd6, 0xd6));
        break;
    case Qt::ForegroundRole:
        if (compromised)
            return QBrush(QColor(0x9c, 0x00, 0x06));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Passkeys || index.column() == Flagged || index.column() == Disabled)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant AuthenticatorListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name: return tr("Authenticator");
    case Aaguid: return tr("AAGUID");
    case Passkeys: return tr("Passkeys");
    case Flagged: return tr("Flagged");
    case Disabled: return tr("Disabled");
    case Status: return tr("FIDO metadata status");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
