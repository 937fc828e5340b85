#include "collections/CollectionsPanel.h"

#include "collections/CollectionRunController.h"
#include "collections/CollectionsModel.h"
#include "collections/SavedCallEditor.h"
#include "traffic/TrafficBus.h"
#include "widgets/FlowLayout.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

const QString kSavedCalls = QStringLiteral("Saved calls");
const QColor kPass(0x2e, 0x7d, 0x32);
const QColor kFail(0xc6, 0x28, 0x28);

enum ResultColumn { CheckColumn, VerdictColumn, ExpectedColumn, ActualColumn };

ItemAddress parentOf(const ItemAddress& at)
{
    return {at.collection, at.path.mid(0, at.path.size() - 1)};
}

} // namespace

CollectionsPanel::CollectionsPanel(CollectionStore* store, QWidget* parent)
    : QWidget(parent), m_store(store), m_model(new CollectionsModel(store, this)),
      m_runner(new CollectionRunController(this)), m_tree(new QTreeView(this)),
      m_environment(new QComboBox(this)), m_tabs(new QTabWidget(this)), m_editor(new SavedCallEditor),
      m_results(new QTreeWidget), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("collectionsPanel"));
    createActions();
    setUpTree();
    // Another workspace: the editor must not keep (and Apply) a call of the one before, even
    // when the tree happens to have the same shape.
    connect(m_store, &CollectionStore::reset, this, [this] {
        m_editing = {};
        m_removed.reset();
        m_undoBar->hide();
        onSelectionChanged();
    });
    m_environment->setObjectName(QStringLiteral("environmentCombo"));
    m_environment->setToolTip(tr("The variables ({{name}}) the run uses"));
    connect(m_store, &CollectionStore::changed, this, &CollectionsPanel::updateEnvironments);
    connect(m_store, &CollectionStore::currentEnvironmentChanged, this,
            &CollectionsPanel::updateEnvironments);
    connect(m_environment, &QComboBox::activated, this,
            [this](int i) { m_store->setCurrentEnvironment(m_environment->itemData(i).toString()); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolBar());
    layout->addWidget(buildUndoBar());
    layout->addWidget(buildViews(), 1);

    connect(m_editor, &SavedCallEditor::applied, this, &CollectionsPanel::onApplied);
    connect(m_runner, &CollectionRunController::started, this, &CollectionsPanel::onRunStarted);
    connect(m_runner, &CollectionRunController::callFinished, this, &CollectionsPanel::onCallFinished);
    connect(m_runner, &CollectionRunController::finished, this, &CollectionsPanel::onRunFinished);
    m_tree->expandAll();
    updateEnvironments();
    updateActions();
}

CollectionsPanel::~CollectionsPanel()
{
    // ~QWidget closes the window first, and a rename still open in the tree commits then: it
    // edits the store, whose signals must not reach this half-destroyed panel.
    for (QObject* sender :
         std::initializer_list<QObject*>{m_store, m_model, m_tree->selectionModel(), m_editor, m_runner})
        disconnect(sender, nullptr, this, nullptr);
}

void CollectionsPanel::setUpTree()
{
    m_tree->setObjectName(QStringLiteral("collectionsTree"));
    m_tree->setModel(m_model);
    m_tree->setDragDropMode(QAbstractItemView::DragDrop);
    m_tree->setDefaultDropAction(Qt::MoveAction);
    m_tree->setDragEnabled(true);
    m_tree->setAcceptDrops(true);
    m_tree->setDropIndicatorShown(true);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setSectionResizeMode(CollectionsModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &CollectionsPanel::showContextMenu);
    // Del in the tree only: elsewhere in the window it edits text.
    QAction* remove = findChild<QAction*>(QStringLiteral("actionDeleteItem"));
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    m_tree->addAction(remove);
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        if (!index.data(CollectionsModel::IsFolderRole).toBool() &&
            !index.data(CollectionsModel::IsCollectionRole).toBool())
            m_tabs->setCurrentIndex(0);
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &CollectionsPanel::onSelectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        // A structural edit rebuilds the tree: addresses may now name other items, so the
        // editor lets go (the edit that caused it selects what it made), and all stays in view.
        m_editing = {};
        m_tree->expandAll();
        onSelectionChanged();
    });
}

QWidget* CollectionsPanel::buildViews()
{
    auto* editorScroll = new QScrollArea;
    editorScroll->setWidgetResizable(true);
    editorScroll->setWidget(m_editor); // the form scrolls: the dock fits a 1024×640 window
    m_results->setObjectName(QStringLiteral("runResults"));
    m_results->setHeaderLabels({tr("Call / check"), tr("Result"), tr("Expected"), tr("Actual")});
    m_results->setRootIsDecorated(true);
    m_results->setWordWrap(false);
    auto* resultsPage = new QWidget;
    auto* resultsLayout = new QVBoxLayout(resultsPage);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    m_summary->setObjectName(QStringLiteral("runSummary"));
    resultsLayout->addWidget(m_summary);
    resultsLayout->addWidget(m_results);
    m_tabs->addTab(editorScroll, tr("Call"));
    m_tabs->addTab(resultsPage, tr("Results"));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("collectionsSplitter"));
    splitter->addWidget(m_tree);
    splitter->addWidget(m_tabs);
    splitter->setChildrenCollapsible(false);
    // Small minimums: the dock shares a 640 px high window with the toolbars and the log.
    m_tree->setMinimumHeight(48);
    m_tabs->setMinimumHeight(72);
    editorScroll->setMinimumHeight(24);
    m_results->setMinimumHeight(24);
    return splitter;
}

QAction* CollectionsPanel::makeAction(const QString& name, const QString& text, const QString& tip)
{
    auto* action = new QAction(text, this);
    action->setObjectName(name);
    action->setToolTip(tip);
    return action;
}

void CollectionsPanel::createActions()
{
    const auto add = [this](const char* name, const QString& text, const QString& tip, auto slot) {
        connect(makeAction(QLatin1String(name), text, tip), &QAction::triggered, this, slot);
    };
    add("actionNewCollection", tr("New collection"), tr("A new, empty collection"),
        &CollectionsPanel::newCollection);
    add("actionNewFolder", tr("New folder"), tr("A folder in the selected collection or folder"),
        &CollectionsPanel::newFolder);
    add("actionDuplicateItem", tr("Duplicate"), tr("A copy right after the selected item"),
        &CollectionsPanel::duplicateSelected);
    add("actionRenameItem", tr("Rename"), tr("Rename the selected item (F2)"),
        &CollectionsPanel::renameSelected);
    add("actionDeleteItem", tr("Delete"), tr("Delete the selected item (it can be undone)"),
        &CollectionsPanel::deleteSelected);
    add("actionRunItem", tr("Run"), tr("Run the selected call, folder or collection"),
        &CollectionsPanel::runSelected);
    add("actionStopRun", tr("Stop"), tr("Stop the run"), &CollectionsPanel::stop);
}

QWidget* CollectionsPanel::buildToolBar()
{
    // Buttons in a flow layout rather than a QToolBar: the dock is narrow, and a toolbar would
    // hide its last actions behind "»" where a flow wraps. Run and Stop stay in front; the edits
    // are one menu button (and the context menu), so one row is enough in a 1024×640 window.
    auto* bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("collectionsButtons"));
    auto* flow = new FlowLayout(bar, 4, 2);
    flow->setContentsMargins(2, 2, 2, 2);
    for (const char* name : {"actionRunItem", "actionStopRun"}) {
        auto* button = new QToolButton(bar);
        button->setDefaultAction(findChild<QAction*>(QLatin1String(name)));
        button->setAutoRaise(true);
        flow->addWidget(button);
    }
    auto* edit = new QToolButton(bar);
    edit->setObjectName(QStringLiteral("collectionsEditButton"));
    edit->setText(tr("Edit"));
    edit->setPopupMode(QToolButton::InstantPopup);
    edit->setAutoRaise(true);
    auto* menu = new QMenu(edit);
    for (const char* name : {"actionNewCollection", "actionNewFolder", "actionDuplicateItem",
                             "actionRenameItem", "actionDeleteItem"})
        menu->addAction(findChild<QAction*>(QLatin1String(name)));
    edit->setMenu(menu);
    flow->addWidget(edit);
    flow->addWidget(m_environment);
    return bar;
}

QWidget* CollectionsPanel::buildUndoBar()
{
    m_undoBar = new QWidget(this);
    m_undoBar->setObjectName(QStringLiteral("undoDeleteBar"));
    m_undoLabel = new QLabel(m_undoBar);
    auto* undo = new QPushButton(tr("Undo"), m_undoBar);
    undo->setObjectName(QStringLiteral("undoDeleteButton"));
    auto* layout = new QHBoxLayout(m_undoBar);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_undoLabel, 1);
    layout->addWidget(undo);
    connect(undo, &QPushButton::clicked, this, &CollectionsPanel::undoDelete);
    m_undoBar->hide();
    return m_undoBar;
}

void CollectionsPanel::showContextMenu(const QPoint& pos)
{
    QMenu* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (const char* name : std::initializer_list<const char*>{
             "actionRunItem", "actionStopRun", nullptr, "actionNewCollection", "actionNewFolder",
             "actionDuplicateItem", "actionRenameItem", "actionDeleteItem"}) {
        if (name)
            menu->addAction(findChild<QAction*>(QLatin1String(name)));
        else
            menu->addSeparator();
    }
    menu->popup(m_tree->viewport()->mapToGlobal(pos));
}

bool CollectionsPanel::isRunning() const
{
    return m_runner->isRunning();
}

void CollectionsPanel::updateActions()
{
    const ItemAddress at = selectedAddress();
    const bool selected = at.collection >= 0;
    const auto enable = [this](const char* name, bool on) {
        findChild<QAction*>(QLatin1String(name))->setEnabled(on);
    };
    enable("actionNewFolder", selected);
    enable("actionDuplicateItem", selected && !at.path.isEmpty());
    enable("actionRenameItem", selected);
    enable("actionDeleteItem", selected && !isRunning());
    enable("actionRunItem", selected && !isRunning());
    enable("actionStopRun", isRunning());
}

void CollectionsPanel::updateEnvironments()
{
    const QSignalBlocker blocker(m_environment);
    m_environment->clear();
    m_environment->addItem(tr("No environment"), QString());
    for (auto it = m_store->environments().begin(); it != m_store->environments().end(); ++it)
        m_environment->addItem(it.key(), it.key());
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(m_store->currentEnvironment())));
}

ItemAddress CollectionsPanel::selectedAddress() const
{
    return m_model->address(m_tree->currentIndex());
}

void CollectionsPanel::select(const ItemAddress& at)
{
    const QModelIndex index = m_model->indexOf(at);
    m_tree->setCurrentIndex(index);
    if (index.isValid())
        m_tree->scrollTo(index);
    onSelectionChanged();
}

void CollectionsPanel::onSelectionChanged()
{
    const ItemAddress at = selectedAddress();
    const CollectionItem* item = m_store->item(at);
    if (item && !item->isFolder) {
        if (!(at == m_editing))
            m_editor->setCall(item->call);
        m_editing = at;
    } else {
        m_editor->clear();
        m_editing = {};
    }
    updateActions();
}

void CollectionsPanel::onApplied(const SavedCall& call)
{
    if (m_store->replaceItem(m_editing, CollectionItem::makeCall(call)))
        emit status(tr("Saved call “%1” changed").arg(call.displayName()));
}

ItemAddress CollectionsPanel::saveCall(const SavedCall& call)
{
    ItemAddress at = selectedAddress();
    const CollectionItem* item = m_store->item(at);
    if (item && !item->isFolder)
        at = parentOf(at);
    const QString collection =
        at.collection >= 0 ? m_store->collections().at(at.collection).name : kSavedCalls;
    const ItemAddress saved = m_store->saveCall(collection, m_store->runPath(at), call);
    select(saved);
    emit status(tr("Saved “%1” to the collection “%2”").arg(call.displayName(), collection));
    return saved;
}

void CollectionsPanel::newCollection()
{
    const int index = m_store->addCollection(tr("New collection"));
    select({index, {}});
    renameSelected();
}

void CollectionsPanel::newFolder()
{
    ItemAddress at = selectedAddress();
    const CollectionItem* item = m_store->item(at);
    if (item && !item->isFolder)
        at = parentOf(at);
    if (!m_store->addItem(at, CollectionItem::makeFolder(tr("New folder"))))
        return;
    at.path << int(m_model->rowCount(m_model->indexOf(at)) - 1);
    select(at);
    renameSelected();
}

void CollectionsPanel::duplicateSelected()
{
    ItemAddress at = selectedAddress();
    if (!m_store->duplicateItem(at))
        return;
    ++at.path.last();
    select(at);
}

void CollectionsPanel::renameSelected()
{
    const QModelIndex index = m_tree->currentIndex();
    if (index.isValid())
        m_tree->edit(index.siblingAtColumn(CollectionsModel::NameColumn));
}

void CollectionsPanel::deleteSelected()
{
    const ItemAddress at = selectedAddress();
    if (at.collection < 0 || isRunning())
        return;
    Removed removed{at, std::nullopt, {}};
    QString name;
    if (at.path.isEmpty()) {
        removed.collection = m_store->collections().at(at.collection);
        name = removed.collection->name;
        m_store->removeCollection(at.collection);
    } else {
        removed.item = *m_store->item(at);
        name = removed.item.displayName();
        m_store->removeItem(at);
    }
    m_removed = removed;
    m_undoLabel->setText(tr("Deleted “%1”.").arg(name));
    m_undoBar->show();
    emit status(tr("Deleted “%1” (Undo in the Collections panel)").arg(name));
}

void CollectionsPanel::undoDelete()
{
    if (!m_removed)
        return;
    const Removed removed = *std::exchange(m_removed, std::nullopt);
    m_undoBar->hide();
    if (removed.collection) {
        select({m_store->insertCollection(removed.at.collection, *removed.collection), {}});
    } else if (m_store->insertItem(parentOf(removed.at), removed.at.path.last(), removed.item)) {
        select(removed.at);
    }
}

bool CollectionsPanel::runSelected()
{
    return run(selectedAddress());
}

bool CollectionsPanel::run(const ItemAddress& at)
{
    if (at.collection < 0 || at.collection >= m_store->collections().size())
        return false;
    Variables variables;
    variables.setLayer(Variables::Layer::Environment,
                       m_store->environments().value(m_store->currentEnvironment()));
    RunOptions options;
    options.defaultTarget = m_defaultTarget ? m_defaultTarget() : QString();
    options.bus = m_bus;
    QString error;
    const Collection& collection = m_store->collections().at(at.collection);
    if (!m_runner->start(at.collection, collection, m_store->runPath(at), variables, options, &error)) {
        m_summary->setText(tr("Cannot run: %1").arg(error));
        m_tabs->setCurrentIndex(1);
        emit status(tr("Cannot run: %1").arg(error));
        return false;
    }
    updateActions();
    return true;
}

void CollectionsPanel::stop()
{
    m_runner->stop();
}

void CollectionsPanel::onRunStarted(int collection, int calls)
{
    m_results->clear();
    m_summary->setText(
        tr("Running %1 %2 of “%3”…")
            .arg(calls)
            .arg(calls == 1 ? tr("call") : tr("calls"), m_store->collections().value(collection).name));
    m_tabs->setCurrentIndex(1);
}

void CollectionsPanel::onCallFinished(int collection, const CallReport& report)
{
    m_model->setResult(collection, report);
    auto* row = new QTreeWidgetItem(m_results);
    row->setText(CheckColumn, report.path);
    row->setText(VerdictColumn, report.passed() ? tr("PASS") : tr("FAIL"));
    row->setForeground(VerdictColumn, report.passed() ? kPass : kFail);
    row->setToolTip(CheckColumn, report.target);
    if (!report.problem.isEmpty()) {
        auto* problem = new QTreeWidgetItem(row, {tr("problem"), tr("FAIL"), QString(), report.problem});
        problem->setForeground(VerdictColumn, kFail);
        problem->setToolTip(ActualColumn, report.problem);
    }
    for (const AssertionReport& a : report.assertions) {
        auto* check = new QTreeWidgetItem(row, {a.description, a.result.passed ? tr("pass") : tr("FAIL"),
                                                a.result.expected, a.result.actual});
        check->setForeground(VerdictColumn, a.result.passed ? kPass : kFail);
        if (!a.result.passed)
            check->setForeground(ActualColumn, kFail); // the failing value, next to the expected one
        check->setToolTip(ExpectedColumn, a.result.expected);
        check->setToolTip(ActualColumn, a.result.actual);
    }
    row->setExpanded(!report.passed());
}

void CollectionsPanel::onRunFinished(int, const RunReport& report)
{
    QString summary = report.summaryLine();
    if (report.stopped)
        summary += tr(" (stopped)");
    m_summary->setText(summary);
    for (int c = 0; c < m_results->columnCount(); ++c)
        m_results->resizeColumnToContents(c);
    updateActions();
    emit status(tr("Run of “%1”: %2").arg(report.collection, summary));
    emit runFinished(report);
}

} // namespace rpcbench
