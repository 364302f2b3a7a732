#include "console/passkeys/passkey_list_model.h"

#include "console/authenticators/authenticator_icon.h"
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

std::optional<metadata::AuthenticatorInfo> PasskeyListModel::authenticatorAt(int row) const
{
    const auto found = m_names.constFind(passkeyAt(row).passkey.aaguid);
    if (found == m_names.constEnd())
        return std::nullopt;
    return *found;
}

bool PasskeyListModel::isFlagged(int row) const
{
    const store::PasskeyRecord &key = passkeyAt(row).passkey;
    return key.counterRegressed() || !key.metadataStatus.isEmpty();
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
    const bool flagged = isFlagged(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Owner: return row.username;
        case Device: return key.deviceName;
        case Authenticator: {
            const auto model = authenticatorAt(index.row());
            return model ? model->name : QString();
        }
        case Warning: {
            QStringList warnings;
            if (!key.metadataStatus.isEmpty())
                warnings.append(
                    tr("COMPROMISED MODEL: %1 (FIDO metadata)").arg(key.metadataStatus));
            if (key.counterRegressed())
                warnings.append(tr("COUNTER REGRESSION %1 (possibly cloned)")
                                    .arg(display::time(key.counterRegressionAt)));
            return warnings.join(QStringLiteral("; "));
        }
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
        if (!key.metadataStatus.isEmpty())
            return tr("The FIDO Metadata Service reports %1 for this authenticator model: "
                      "its passkeys cannot be trusted.")
                .arg(key.metadataStatus);
        if (key.counterRegressed())
            return tr("The authenticator presented a signature counter that did not grow on %1: "
                      "the credential may have been cloned.")
                .arg(display::time(key.counterRegressionAt));
        break;
    case Qt::BackgroundRole:
        if (flagged)
            return QBrush(QColor(0xff, 0xd6, 0xd6));
        break;
    case Qt::ForegroundRole:
        if (flagged)
            return QBrush(QColor(0x9c, 0x00, 0x06));
        if (key.disabled())
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        break;
    case Qt::FontRole:
        if (flagged && index.column() == Warning) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::DecorationRole:
        if (flagged && index.column() == Warning &&
            qobject_cast<QApplication *>(QCoreApplication::instance()))
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        if (index.column() == Authenticator) {
            const auto model = authenticatorAt(index.row());
            if (model)
                return authenticatorIcon(model->iconLight);
        }
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
    case Authenticator:
        return tr("Authenticator");
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
