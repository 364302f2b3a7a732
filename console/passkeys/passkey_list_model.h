#pragma once
// The passkeys table: every column an operator needs to judge a credential,
// its authenticator model (icon and name), and a mark that cannot be missed
// on one flagged by a counter regression (possibly cloned) or by its model's
// FIDO metadata status (compromised). Credential IDs are shortened unless
// asked for in full.

#include "console/common/record_table_model.h"

#include "shared/identity/authenticator_directory.h"
#include "shared/store/passkey_repository.h"

namespace daarion::console {

class PasskeyListModel : public RecordTableModel<store::PasskeyWithOwner>
{
    Q_OBJECT

public:
    enum Column {
        Owner,
        Device,
        Authenticator, // the model's icon and name
        Warning,       // counter regression, compromised model
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
    // Names and icons of the models, by AAGUID; set before setRecords().
    void setAuthenticators(identity::AuthenticatorNames names) { m_names = std::move(names); }
    // The row's model, when known.
    std::optional<metadata::AuthenticatorInfo> authenticatorAt(int row) const;
    // Flagged: a counter regression or a compromised model.
    bool isFlagged(int row) const;
    int rowOfPasskey(const QUuid &id) const; // -1 when not shown

    bool showsFullCredentialIds() const { return m_fullCredentialIds; }
    void setShowFullCredentialIds(bool full);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool m_fullCredentialIds = false;
    identity::AuthenticatorNames m_names;
};

} // namespace daarion::console
