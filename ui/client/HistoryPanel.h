#pragma once
// The call history list with its actions: re-run a call, load it into the form, save it to a
// collection, delete it.

#include <QWidget>

class QTableView;
class QToolButton;

namespace rpcbench {

class CallHistoryModel;
struct HistoryEntry;

class HistoryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPanel(CallHistoryModel* model, QWidget* parent = nullptr);
    QTableView* view() const { return m_view; }
    int currentRow() const;
    // Sizes the columns to their content within bounds; the Result column (shown last) takes
    // the rest of the width. Runs on first show, on data changes and on resize.
    void fitColumns();

signals:
    void rerunRequested(const rpcbench::HistoryEntry& entry);
    void loadRequested(const rpcbench::HistoryEntry& entry);
    void saveRequested(const rpcbench::HistoryEntry& entry); // "Save to collection"

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QToolButton* addButton(const QString& name, const QString& text, const QString& icon);
    void updateButtons();

    CallHistoryModel* m_model;
    QTableView* m_view;
    QToolButton* m_rerun;
    QToolButton* m_load;
    QToolButton* m_save;
    QToolButton* m_delete;
    bool m_fitQueued = false;
};

} // namespace rpcbench
