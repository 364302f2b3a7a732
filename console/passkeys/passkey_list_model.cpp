#include "console/passkeys/passkey_list_model.h"

#include "console/common/display_format.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QStyle>

namespace daarion::console {

int PasskeyListModel::rowOfPasskey(const QUuid &id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).passkey.id == id)
            return row;
    }
    return -1;
}

void PasskeyListModel::setShowFullCredentialIds(bool full)
{
    if (full == m_fullCredentialIds)
        return;
    m_fullCredentialIds = full;
    if (!m_records.isEmpty())
        emit dataChanged(index(0, CredentialId), index(int(m_records.size()) - 1, CredentialId), {Qt::DisplayRole});
}

int PasskeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PasskeyListModel::data(const QModelIndex &index, int role) const
{
    if (!validCell(index, ColumnCount))
        return {};
    const store::PasskeyWithOwner &row = passkeyAt(index.row());
    const store::PasskeyRecord &key = row.passkey;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Owner: return row.username;
        case Device: return key.deviceName;
        case Warning:
            return key.counterRegressed()
                       ? tr("COUNTER REGRESSION %1 (possibly cloned)").arg(display::time(key.counterRegressionAt))
                       : QString();
        case CredentialId:
            return m_fullCredentialIds ? key.credentialId : display::shortCredentialId(key.credentialId);
        case Aaguid: return display::aaguid(key.aaguid);
        case Algorithm: return display::algorithm(key.alg);
        case Attestation:
            return key.attestationType.isEmpty() || key.attestationType == key.attestationFmt
                       ? key.attestationFmt
                       : QStringLiteral("%1 (%2)").arg(key.attestationFmt, key.attestationType);
        case SignCount: return key.signCount;
        case BackupEligible: return display::yesNo(key.backupEligible);
        case BackupState: return key.backupState ? tr("backed up") : tr("not backed up");
        case Transports: return display::transports(key.transports);
        case Created: return display::time(key.createdAt);
        case LastUsed: return display::time(key.lastUsedAt, tr("never"));
        case State: return key.disabled() ? tr("disabled %1").arg(display::time(key.disabledAt)) : tr("enabled");
        case ColumnCount: break;
        }
        break;
    case FullCredentialIdRole:
        return key.credentialId;
    case Qt::ToolTipRole:
        if (index.column() == CredentialId)
            return key.credentialId;
        if (key.counterRegressed())
            return tr("The authenticator presented a signature counter that did not grow on %1: "
                      "the credential may have been cloned.")
                .arg(display::time(key.counterRegressionAt));
        break;
    case Qt::BackgroundRole:
        if (key.counterRegressed())
            return QBrush(QColor(0xff, 0xd6, 0xd6));
        break;
    case Qt::ForegroundRole:
        if (key.counterRegressed())
            return QBrush(QColor(0x9c, 0x00, 0x06));
        if (key.disabled())
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        break;
    case Qt::FontRole:
        if (key.counterRegressed() && index.column() == Warning) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::DecorationRole:
        if (key.counterRegressed() && index.column() == Warning && qobject_cast<QApplication *>(QCoreApplication::instance()))
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SignCount)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant PasskeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Owner: return tr("Owner");
    case Device: return tr("Device");
    case Warning: return tr("Warning");
    case CredentialId: return tr("Credential ID");
    case Aaguid: return tr("AAGUID");
    case Algorithm: return tr("Algorithm");
    case Attestation: return tr("Attestation");
    case SignCount: return tr("Sign count");
    case BackupEligible: return tr("Backup eligible");
    case BackupState: return tr("Backup state");
    case Transports: return tr("Transports");
    case Created: return tr("Created");
    case LastUsed: return tr("Last used");
    case State: return tr("State");
    case ColumnCount: break;
    }
    return {};
}

} // namespace daarion::console
