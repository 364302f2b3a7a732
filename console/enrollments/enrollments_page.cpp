#include "console/enrollments/enrollments_page.h"

#include "console/actions/operator_actions.h"
#include "console/backend/store_client.h"
#include "console/common/store_error_text.h"
#include "console/enrollments/enrollment_list_model.h"

#include <QAction>
#include <QTableView>

namespace daarion::console
{

using namespace daarion::store;

EnrollmentsPage::EnrollmentsPage(StoreClient &client, OperatorActions *actions, QWidget *parent)
    : ListPage(client, parent), m_model(new EnrollmentListModel(this)), m_actions(actions)
{
    table()->setModel(m_model);
    watchSelection();
    if (m_actions) {
        m_revoke = addOperatorAction(tr("Revoke link"), tr("The link stops working at once"));
        connect(m_revoke, &QAction::triggered, this, [this] {
            if (const int row = selectedRow(); row >= 0)
                m_actions->revokeEnrollment(m_model->linkAt(row));
        });
    }
}

void EnrollmentsPage::setUser(const QUuid &userId)
{
    m_userId = userId;
    reload();
}

void EnrollmentsPage::reload()
{
    const QUuid userId = m_userId;
    const quint64 number = beginQuery();
    m_client.call(
        this,
        [userId](Database &db) {
            auto links = EnrollmentRepository(db).listPending(userId);
            return std::make_pair(std::move(links), db.now());
        },
        [this, number](const std::pair<StoreResult<QList<EnrollmentRecord>>, QDateTime> &answer) {
            if (!isNewest(number))
                return;
            const auto &[links, now] = answer;
            if (!links)
                return reportFailure(describeStoreError(links.error()));
            m_model->setNow(now);
            m_model->setRecords(*links);
            reportLoaded(int(links->size()));
        });
}

void EnrollmentsPage::updateActions()
{
    if (m_revoke)
        m_revoke->setEnabled(selectedRow() >= 0);
}

} // namespace daarion::console
