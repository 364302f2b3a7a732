#include "console/authenticators/authenticators_page.h"

#include "console/authenticators/authenticator_list_model.h"
#include "console/authenticators/provider_chart.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"

#include "shared/identity/authenticator_directory.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QTableView>

namespace daarion::console {

using namespace daarion::store;

namespace {

struct AuthenticatorsAnswer {
    QList<AuthenticatorRow> rows;
    std::optional<MetadataState> state;
};

StoreResult<AuthenticatorsAnswer> loadAuthenticators(Database &db)
{
    AuthenticatorsAnswer answer;
    auto models = MetadataRepository(db).authenticatorModels();
    if (!models)
        return models.error();
    QList<QByteArray> aaguids;
    for (const AuthenticatorModel &model : *models)
        aaguids.append(model.aaguid);
    auto names = identity::describeAuthenticators(db, aaguids);
    if (!names)
        return storeError(StoreErrorKind::Failed, names.error().message);
    for (const AuthenticatorModel &model : *models) {
        const auto found = names->constFind(model.aaguid);
        answer.rows.append(AuthenticatorRow{
            model, found == names->constEnd() ? std::nullopt : std::optional<metadata::AuthenticatorInfo>(*found)});
    }
    auto state = MetadataRepository(db).state();
    if (!state)
        return state.error();
    answer.state = state.value();
    return answer;
}

} // namespace

AuthenticatorsPage::AuthenticatorsPage(StoreClient &client, QWidget *parent)
    : ListPage(client, parent), m_model(new AuthenticatorListModel(this)), m_chart(new ProviderChart(this)),
      m_metadata(new QLabel(this))
{
    m_metadata->setWordWrap(true);
    m_metadata->setTextInteractionFlags(Qt::TextSelectableByMouse);
    filterRow()->addWidget(m_metadata, 1);
    table()->setModel(m_model);
    table()->setIconSize(QSize(20, 20));
    addBelowTable(m_chart);
    watchSelection();
}

QString AuthenticatorsPage::metadataWarning() const
{
    return m_warning;
}

void AuthenticatorsPage::reload()
{
    const quint64 number = beginQuery();
    m_client.call(
        this, [](Database &db) { return loadAuthenticators(db); },
        [this, number](const StoreResult<AuthenticatorsAnswer> &answer) {
            if (!isNewest(number))
                return;
            if (!answer)
                return reportFailure(describeStoreError(answer.error()));
            m_model->setRecords(answer->rows);
            // One bar per provider name: Windows Hello, for one, has several AAGUIDs.
            QMap<QString, ProviderChart::Bar> byName;
            for (int row = 0; row < m_model->rowCount(); ++row) {
                ProviderChart::Bar &bar = byName[m_model->rowAt(row).displayName()];
                bar.label = m_model->rowAt(row).displayName();
                bar.passkeys += m_model->rowAt(row).model.passkeys;
                bar.compromised = bar.compromised || m_model->isCompromised(row);
            }
            m_chart->setBars(byName.values());
            showMetadataState(answer->state);
            reportLoaded(m_model->rowCount());
        });
}

void AuthenticatorsPage::showMetadataState(const std::optional<MetadataState> &state)
{
    m_state = state;
    const QDateTime now = m_client.parameters().clock->now();
    if (!state) {
        m_warning = tr("No FIDO metadata imported: models are named from the bundled passkey-provider list only, "
                       "and no status is known. Import one: daarion-authd metadata import FILE.");
    } else if (state->staleAt(now)) {
        m_warning = tr("FIDO metadata is stale: BLOB %1 said the next one comes on %2; import a newer BLOB "
                       "(daarion-authd metadata import FILE).")
                        .arg(state->number)
                        .arg(state->nextUpdate.toString(Qt::ISODate));
    } else {
        m_warning.clear();
    }
    if (m_warning.isEmpty()) {
        m_metadata->setText(tr("FIDO metadata: BLOB %1, %2 models, imported %3; next update %4.")
                                .arg(state->number)
                                .arg(state->entries)
                                .arg(state->importedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                                .arg(state->nextUpdate.toString(Qt::ISODate)));
        m_metadata->setStyleSheet(QString());
    } else {
        m_metadata->setText(m_warning);
        m_metadata->setStyleSheet(QStringLiteral("QLabel { color: #9c0006; background: #ffd6d6; padding: 4px; }"));
    }
    emit metadataWarningChanged(m_warning);
}

} // namespace daarion::console
