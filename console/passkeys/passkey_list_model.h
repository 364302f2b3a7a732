#pragma once
// The passkeys table: every column an operator needs to judge a credential,
// and a mark that cannot be missed on one flagged by a counter regression
// (possibly cloned). Credential IDs are shortened unless asked for in full.

#include "console/common/record_table_model.h"

#include "shared/store/passkey_repository.h"

namespace daarion::console {

class PasskeyListModel : public RecordTableModel<store::PasskeyWithOwner>
{
    Q_OBJECT

public:
    enum Column {
        Owner,
        Device,
        Warning, // counter regression
        CredentialId,
        Aaguid,
        Algorithm,
        Attestation,
        SignCount,
        BackupEligible,
        BackupState,
        Transports,
        Created,
        LastUsed,
        State,
        ColumnCount
    };
    // The full credential ID of a row, whatever the display mode.
    static constexpr int FullCredentialIdRole = Qt::UserRole + 1;

    using RecordTableModel::RecordTableModel;

    const store::PasskeyWithOwner &passkeyAt(int row) const { return recordAt(row); }
    int rowOfPasskey(const QUuid &id) const; // -1 when not shown

    bool showsFullCredentialIds() const { return m_fullCredentialIds; }
    void setShowFullCredentialIds(bool full);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool m_fullCredentialIds = false;
};

} // namespace daarion::console
