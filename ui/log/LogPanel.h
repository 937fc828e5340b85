#pragma once
// The traffic log panel: filter bar, the table (fixed row height, follows the newest rows only
// when the user was already at the bottom), and the details pane below it.

#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QSpinBox;
class QSplitter;
class QTableView;

namespace rpcbench {

class LogFilterBar;
class LogFilterModel;
class MessageDetailsView;
class TrafficBus;
class TrafficLogModel;

class LogPanel : public QWidget
{
    Q_OBJECT
public:
    // Rows the table shows however small the dock (the details pane yields first).
    static constexpr int MinimumVisibleRows = 4;

    LogPanel(std::shared_ptr<TrafficBus> bus, qsizetype capacity, QWidget* parent = nullptr);
    ~LogPanel() override;

    TrafficLogModel* model() const { return m_model; }
    LogFilterModel* filterModel() const { return m_filter; }
    LogFilterBar* filterBar() const { return m_filterBar; }
    QTableView* view() const { return m_view; }
    MessageDetailsView* details() const { return m_details; }
    QSplitter* splitter() const { return m_splitter; }
    bool isFollowing() const { return m_follow; }

    void focusFilter();
    void setMethodNames(const QStringList& names);
    // Selects the partner (request <-> reply) of the current row. False when there is none
    // or the filter hides it.
    bool jumpToPartner();
    void selectSourceRow(int sourceRow);
    void copyCurrent(); // the selected message's bytes, as text

signals:
    void capacityChanged(int rows);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildView();
    QSpinBox* buildCapacitySpin();
    void onCurrentChanged();
    void onRowsAboutToBeRemoved(int first, int last);
    void onRowsRemoved(int first, int last);
    void autoScroll();
    void holdRepaint();
    void releaseRepaint();
    void updateStatusLine();
    void showNote(const QString& note);
    void applyTabOrder();

    TrafficLogModel* m_model;
    LogFilterModel* m_filter;
    LogFilterBar* m_filterBar;
    QTableView* m_view;
    MessageDetailsView* m_details;
    QSplitter* m_splitter;
    QWidget* m_statusRow; // the icon and the line, hidden when there is nothing to say
    QLabel* m_statusIcon;
    QLabel* m_statusLine;
    QSpinBox* m_capacity = nullptr;
    QTimer m_scrollTimer;
    bool m_follow = true;
    bool m_rowsArrived = false;
    bool m_statusDirty = false;
    bool m_repaintHeld = false;  // the table's viewport waits for the next tick to repaint
    bool m_compensating = false; // the scroll bar moves because rows were evicted, not the user
    bool m_shownEvicted = false; // the details pane shows a message no longer in the log
};

} // namespace rpcbench
