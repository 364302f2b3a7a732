#pragma once
// The frame every list view shares: a filter row on top, a toolbar for the
// operator's actions (absent in read-only mode), the table, and a status line
// saying how many rows are shown or why none could be loaded.
//
// Loading is asynchronous: reload() asks the store on the worker thread and
// the answer replaces the rows; an answer to an older query is dropped, so
// typing quickly never shows a stale result.

#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QTableView;
class QToolBar;

namespace daarion::console {

class StoreClient;

class ListPage : public QWidget
{
    Q_OBJECT

public:
    // The property set on every QAction that changes data; read-only mode has none.
    static constexpr char OperatorActionProperty[] = "daarionOperatorAction";

    ListPage(StoreClient &client, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    // The row selected in the table, or -1.
    int selectedRow() const;
    // The page's operator actions (empty in read-only mode).
    QList<QAction *> operatorActions() const { return m_operatorActions; }
    QString statusText() const;

public slots:
    virtual void reload() = 0;

signals:
    void loaded();                         // rows replaced by a query's answer
    void loadFailed(const QString &message);

protected:
    QHBoxLayout *filterRow() const { return m_filterRow; }
    // Adds a widget below the table (a second list, a chart).
    void addBelowTable(QWidget *widget, int stretch = 0);
    // Adds an action to the toolbar, marked as an operator action.
    QAction *addOperatorAction(const QString &text, const QString &toolTip);
    void setStatus(const QString &text);
    // Call after the model is set: actions follow the selection.
    void watchSelection();
    virtual void updateActions() {}

    // Start of a query: its number; finish(number) tells whether it is still the newest.
    quint64 beginQuery() { return ++m_queryNumber; }
    bool isNewest(quint64 number) const { return number == m_queryNumber; }
    quint64 currentQuery() const { return m_queryNumber; }
    void reportLoaded(int shown);
    void reportFailure(const QString &message);

    StoreClient &m_client;

private:
    QHBoxLayout *m_filterRow;
    QToolBar *m_toolBar = nullptr;
    QTableView *m_table;
    QLabel *m_status;
    QList<QAction *> m_operatorActions;
    quint64 m_queryNumber = 0;
};

} // namespace daarion::console
