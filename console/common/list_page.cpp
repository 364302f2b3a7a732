#include "console/common/list_page.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace daarion::console {

ListPage::ListPage(StoreClient &client, QWidget *parent)
    : QWidget(parent), m_client(client), m_filterRow(new QHBoxLayout), m_table(new QTableView(this)),
      m_status(new QLabel(this))
{
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_filterRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
}

int ListPage::selectedRow() const
{
    if (!m_table->selectionModel())
        return -1;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

QString ListPage::statusText() const
{
    return m_status->text();
}

QAction *ListPage::addOperatorAction(const QString &text, const QString &toolTip)
{
    if (!m_toolBar) {
        m_toolBar = new QToolBar(this);
        m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
        static_cast<QVBoxLayout *>(layout())->insertWidget(1, m_toolBar);
    }
    auto *action = m_toolBar->addAction(text);
    action->setToolTip(toolTip);
    action->setProperty(OperatorActionProperty, true);
    action->setEnabled(false);
    m_operatorActions.append(action);
    return action;
}

void ListPage::addBelowTable(QWidget *widget, int stretch)
{
    auto *box = static_cast<QVBoxLayout *>(layout());
    box->insertWidget(box->indexOf(m_status), widget, stretch);
}

void ListPage::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ListPage::watchSelection()
{
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateActions(); });
    connect(m_table->model(), &QAbstractItemModel::modelReset, this, [this] { updateActions(); });
}

void ListPage::reportLoaded(int shown)
{
    setStatus(tr("%n row(s)", nullptr, shown));
    m_table->resizeColumnsToContents();
    updateActions();
    emit loaded();
}

void ListPage::reportFailure(const QString &message)
{
    setStatus(tr("Could not load: %1").arg(message));
    emit loadFailed(message);
}

} // namespace daarion::console
