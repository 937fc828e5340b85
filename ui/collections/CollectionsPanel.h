#pragma once
// The "Collections" dock: the workspace's collections as a tree (drag to reorder or move,
// rename in place), a toolbar and context menu (new collection / folder, duplicate, rename,
// delete — undone from the bar that reports it, no question asked —, run and stop), the
// environment chooser, the selected call's editor and the last run's results: PASS / FAIL per
// call, and per assertion what was expected next to what came back. Runs go through
// CollectionRunController (a worker thread) and show in the traffic log like any other call.
#include "collections/CollectionStore.h"
#include "runner/RunReport.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTreeView;
class QTreeWidget;

namespace rpcbench {

class CollectionRunController;
class CollectionsModel;
class SavedCallEditor;
class TrafficBus;

class CollectionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CollectionsPanel(CollectionStore* store, QWidget* parent = nullptr);
    ~CollectionsPanel() override;

    // Where calls without a target go: asked at each run (the client's URL, else the embedded
    // server's). The bus shows the run's calls in the traffic log.
    void setDefaultTarget(std::function<QString()> target) { m_defaultTarget = std::move(target); }
    void setTrafficBus(std::shared_ptr<TrafficBus> bus) { m_bus = std::move(bus); }

    CollectionStore* store() const { return m_store; }
    CollectionsModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    SavedCallEditor* editor() const { return m_editor; }
    QTreeWidget* results() const { return m_results; }
    QComboBox* environmentCombo() const { return m_environment; }
    QLabel* summaryLabel() const { return m_summary; }
    CollectionRunController* runner() const { return m_runner; }
    bool isRunning() const;

    ItemAddress selectedAddress() const; // collection -1: nothing selected
    void select(const ItemAddress& at);
    // "Save to collection": into the selected collection (its selected folder), or "Saved calls".
    ItemAddress saveCall(const SavedCall& call);

public slots:
    bool run(const ItemAddress& at); // a call, a folder or a whole collection
    bool runSelected();
    void stop();
    void newCollection();
    void newFolder();
    void duplicateSelected();
    void renameSelected();
    void deleteSelected();
    void undoDelete();

signals:
    void status(const QString& message);
    void runFinished(const rpcbench::RunReport& report);

private:
    struct Removed
    {
        ItemAddress at;
        std::optional<Collection> collection; // a whole collection, else `item`
        CollectionItem item;
    };

    void setUpTree();
    QWidget* buildViews(); // the tree above the call editor and the results
    QWidget* buildToolBar();
    QWidget* buildUndoBar();
    void createActions();
    QAction* makeAction(const QString& name, const QString& text, const QString& tip);
    void showContextMenu(const QPoint& pos);
    void updateActions();
    void updateEnvironments();
    void onSelectionChanged();
    void onApplied(const SavedCall& call);
    void onRunStarted(int collection, int calls);
    void onCallFinished(int collection, const CallReport& report);
    void onRunFinished(int collection, const RunReport& report);

    CollectionStore* m_store;
    CollectionsModel* m_model;
    CollectionRunController* m_runner;
    std::function<QString()> m_defaultTarget;
    std::shared_ptr<TrafficBus> m_bus;
    QTreeView* m_tree;
    QComboBox* m_environment;
    QTabWidget* m_tabs;
    SavedCallEditor* m_editor;
    QTreeWidget* m_results;
    QLabel* m_summary;
    QWidget* m_undoBar = nullptr;
    QLabel* m_undoLabel = nullptr;
    std::optional<Removed> m_removed;
    ItemAddress m_editing; // the call in the editor
};

} // namespace rpcbench
