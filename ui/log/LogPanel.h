#pragma once
// The traffic log panel: filter bar, the table (fixed row height, follows the newest rows only
// when the user was already at the bottom), and the details pane below it.

#include "traffic/TrafficEvent.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QAction;
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
    // "Send again…": emits resendRequested() for the selected row when it is a request,
    // notification or batch travelling from caller to callee. False (nothing emitted) otherwise.
    bool resendCurrent();
    QAction* resendAction() const { return m_resend; }
    // The selected calls and replies with their partners (a request's reply, a reply's
    // request), in log order: what "Save as tests…" turns into saved calls. Stderr lines and
    // unrelated messages are left out.
    std::vector<TrafficEvent> selectedCallRows() const;
    // "Save as tests…": emits saveAsTestsRequested() with selectedCallRows(). False (nothing
    // emitted) when the selection holds no request or reply.
    bool saveSelectionAsTests();
    QAction* saveAsTestsAction() const { return m_saveAsTests; }

signals:
    void capacityChanged(int rows);
    // A logged request to compose again: its exact bytes, and the URL it went to when the log
    // knows it (a client row's target); empty for server and proxy rows, whose log holds the
    // caller's address, not the server's.
    void resendRequested(const QByteArray& requestJson, const QString& suggestedUrl);
    // Rows to save as tests (selectedCallRows()); the window opens a SaveAsTestsDialog on them.
    void saveAsTestsRequested(const std::vector<rpcbench::TrafficEvent>& rows);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildView();
    QSpinBox* buildCapacitySpin();
    void onCurrentChanged();
    void updateSaveAsTests();
    QList<int> selectedSourceRows() const;
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
    QAction* m_resend = nullptr;      // enabled on request rows only
    QAction* m_saveAsTests = nullptr; // enabled when the selection holds a request or reply
    QTimer m_scrollTimer;
    bool m_follow = true;
    bool m_rowsArrived = false;
    bool m_statusDirty = false;
    bool m_repaintHeld = false;  // the table's viewport waits for the next tick to repaint
    bool m_compensating = false; // the scroll bar moves because rows were evicted, not the user
    bool m_shownEvicted = false; // the details pane shows a message no longer in the log
};

} // namespace rpcbench
