#pragma once
// The call history list with its actions: re-run a call, load it into the form, delete it.

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

signals:
    void rerunRequested(const rpcbench::HistoryEntry& entry);
    void loadRequested(const rpcbench::HistoryEntry& entry);

private:
    QToolButton* addButton(const QString& name, const QString& text, const QString& icon);
    void updateButtons();

    CallHistoryModel* m_model;
    QTableView* m_view;
    QToolButton* m_rerun;
    QToolButton* m_load;
    QToolButton* m_delete;
};

} // namespace rpcbench
