#pragma once
// Authenticators: every model that registered passkeys here, how many each
// holds and its FIDO metadata status, a chart of passkeys by provider, and a
// warning when the imported FIDO metadata is stale (past its nextUpdate) or
// was never imported. Read-only: metadata changes only by import (CLI).

#include "console/common/list_page.h"

#include "shared/store/metadata_repository.h"

#include <optional>

class QLabel;

namespace daarion::console {

class AuthenticatorListModel;
class ProviderChart;

class AuthenticatorsPage : public ListPage
{
    Q_OBJECT

public:
    explicit AuthenticatorsPage(StoreClient &client, QWidget *parent = nullptr);

    AuthenticatorListModel *model() const { return m_model; }
    ProviderChart *chart() const { return m_chart; }
    // The warning line's text; empty while the metadata is current.
    QString metadataWarning() const;
    // What the last load said of the imported BLOB (nothing: never imported).
    const std::optional<store::MetadataState> &metadataState() const { return m_state; }

public slots:
    void reload() override;

signals:
    // After each load: the warning (empty when current), for the status bar.
    void metadataWarningChanged(const QString &warning);

private:
    void showMetadataState(const std::optional<store::MetadataState> &state);

    AuthenticatorListModel *m_model;
    ProviderChart *m_chart;
    QLabel *m_metadata;
    std::optional<store::MetadataState> m_state;
    QString m_warning;
};

} // namespace daarion::console
