#pragma once
// The authenticators table: one row per model (AAGUID) that registered
// passkeys here, with its name and icon, how many passkeys it holds (flagged,
// disabled) and its latest FIDO metadata status; a compromised model in red.

#include "console/common/record_table_model.h"

#include "shared/metadata/authenticator_info.h"
#include "shared/store/metadata_repository.h"

#include <optional>

namespace daarion::console {

struct AuthenticatorRow {
    store::AuthenticatorModel model;
    std::optional<metadata::AuthenticatorInfo> info; // name and icons, when known
    // What people call it: the model's name, its AAGUID, or why there is none.
    QString displayName() const;
};

class AuthenticatorListModel : public RecordTableModel<AuthenticatorRow>
{
    Q_OBJECT

public:
    enum Column { Name, Aaguid, Passkeys, Flagged, Disabled, Status, ColumnCount };

    using RecordTableModel::RecordTableModel;

    const AuthenticatorRow &rowAt(int row) const { return recordAt(row); }
    int rowOfAaguid(const QByteArray &aaguid) const; // -1 when not shown
    bool isCompromised(int row) const;

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace daarion::console
