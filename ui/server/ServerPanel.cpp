#include "server/ServerPanel.h"

#include "client/TabOrder.h"
#include "dispatch/FaultTable.h"
#include "dispatch/OpenRpcDocument.h"
#include "mock/MockService.h"
#include "server/ConnectionsPanel.h"
#include "server/MethodsModel.h"
#include "server/MockMethodActions.h"
#include "util/JsonText.h"
#include "widgets/ColumnAutoSizer.h"
#include "widgets/LatencyHistogramView.h"
#include "widgets/PayloadView.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rpcbench {

namespace {

// What a subscription mock does, which its signature alone does not tell.
QString subscriptionNote(const UserMethod& m)
{
    if (m.kind == UserHandlerKind::Unsubscribe)
        return ServerPanel::tr("ends a subscription started by a subscription mock");
    if (m.kind != UserHandlerKind::Subscribe)
        return {};
    const SubscribeSettings& s = m.subscription;
    return s.maxEvents > 0 ? ServerPanel::tr("subscription: sends %1 every %2 ms, %3 times")
                                 .arg(s.notification)
                                 .arg(s.intervalMs)
                                 .arg(s.maxEvents)
                           : ServerPanel::tr("subscription: sends %1 every %2 ms until unsubscribed")
                                 .arg(s.notification)
                                 .arg(s.intervalMs);
}

} // namespace

ServerPanel::ServerPanel(std::shared_ptr<MethodRegistry> registry, QWidget* parent)
    : QWidget(parent), m_model(new MethodsModel(std::move(registry), this)),
      m_proxy(new QSortFilterProxyModel(this)), m_search(new QLineEdit(this)), m_view(new QTableView(this)),
      m_title(new QLabel(this)), m_latency(new LatencyHistogramView(this)),
      m_openRpc(new PayloadView(PayloadView::Mode::Pretty)),
      m_callThis(new QPushButton(tr("Call this"), this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_connections(new ConnectionsPanel(this)), m_tabs(new QTabWidget(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(MethodsModel::SortRole); // "1.75M" sorts after "999"
    m_search->setObjectName(QStringLiteral("methodSearch"));
    m_search->setPlaceholderText(tr("Search methods"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("methodsView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(MethodsModel::NameColumn, Qt::AscendingOrder);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move in it
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    // Live figures next to the name, where a narrow dock still shows them; the full
    // signature and description follow (and appear in full below the table).
    QHeaderView* columns = m_view->horizontalHeader();
    columns->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    for (const auto& [column, chars] : {std::pair{MethodsModel::NameColumn, 16},
                                        {MethodsModel::CallsColumn, 7},
                                        {MethodsModel::ErrorsColumn, 7},
                                        {MethodsModel::LatencyColumn, 9},
                                        {MethodsModel::P50Column, 9},
                                        {MethodsModel::P99Column, 9},
                                        {MethodsModel::SignatureColumn, 44},
                                        {MethodsModel::DescriptionColumn, 30}})
        columns->resizeSection(column, chars * digit);
    for (int column : {MethodsModel::CallsColumn, MethodsModel::ErrorsColumn, MethodsModel::LatencyColumn,
                       MethodsModel::P50Column, MethodsModel::P99Column})
        columns->moveSection(columns->visualIndex(column), column - MethodsModel::CallsColumn + 1);
    // Then grown to their content ("system.methodSignature", large counts); the description,
    // last, takes the rest.
    new ColumnAutoSizer(m_view);
    // However small the dock, the table keeps a few rows; the details below yield first.
    m_view->setMinimumHeight(tableHeightForRows(m_view, MinimumVisibleRows));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ServerPanel::showCurrent);
    connect(m_view, &QTableView::doubleClicked, this, [this] { emit callRequested(currentMethod()); });
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (m_selectAfterReset.isEmpty())
            m_selectAfterReset = currentMethod().name;
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_selectAfterReset.isEmpty())
            selectMethod(std::exchange(m_selectAfterReset, QString()));
        showCurrent();
    });
    // The histogram follows the table's sampling: no timer of its own.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const int row = currentSourceRow();
                if (row >= from.row() && row <= to.row())
                    showLatency();
            });

    m_title->setObjectName(QStringLiteral("methodTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_latency->setObjectName(QStringLiteral("methodLatency"));
    m_openRpc->setObjectName(QStringLiteral("methodDescription"));
    m_callThis->setObjectName(QStringLiteral("callThisButton"));
    m_callThis->setIcon(QIcon(QStringLiteral(":/icons/send.svg")));
    m_callThis->setToolTip(tr("Fill the client form with this method"));
    connect(m_callThis, &QPushButton::clicked, this, [this] { emit callRequested(currentMethod()); });

    auto* details = new QWidget(this);
    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_callThis, 0, Qt::AlignTop);
    auto* detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addLayout(header);
    detailsLayout->addWidget(m_latency);
    detailsLayout->addWidget(m_openRpc, 1);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_search);
    topLayout->addWidget(m_view, 1);
    m_splitter->setObjectName(QStringLiteral("serverSplitter"));
    m_splitter->addWidget(top);
    m_splitter->addWidget(details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setCollapsible(0, false);
    // The details yield first: at their smallest, the title line and "Call this".
    details->setMinimumHeight(m_callThis->sizeHint().height() + 4);
    // The histogram never sets the window's minimum: fitDetails() hides it when there is no
    // room (judged by its minimumSizeHint), so a layout pass made while it is still shown
    // cannot hold a small window open at its height.
    m_latency->setMinimumSize(1, 1);
    // Squeezed below a few lines, the description would be a sliver of scroll bars: hide it.
    details->installEventFilter(this);
    m_tabs->setObjectName(QStringLiteral("serverTabs"));
    m_tabs->setDocumentMode(true); // no frame: the dock is small enough
    m_tabs->addTab(m_splitter, tr("Methods"));
    m_tabs->addTab(m_connections, tr("Connections"));
    m_connections->setObjectName(QStringLiteral("connectionsPanel"));
    connect(m_connections, &ConnectionsPanel::countChanged, this, [this](int count) {
        m_tabs->setTabText(m_tabs->indexOf(m_connections),
                           count ? tr("Connections (%1)").arg(count) : tr("Connections"));
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tabs);
    applyTabOrder();
    showCurrent();
}

bool ServerPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize && watched == m_openRpc->parentWidget())
        fitDetails();
    return QWidget::eventFilter(watched, event);
}

// Squeezed, the description goes first (a sliver of scroll bars says nothing), then the
// histogram; with the description hidden, the histogram takes the room. The title may wrap to
// several lines, so its height at the current width counts.
void ServerPanel::fitDetails()
{
    QWidget* details = m_openRpc->parentWidget();
    const int titleWidth = details->width() - m_callThis->sizeHint().width() - 6;
    const int header =
        std::max(m_callThis->sizeHint().height(), m_title->heightForWidth(std::max(titleWidth, 1)));
    const int chart = m_latency->minimumSizeHint().height() + 4;
    const bool showChart = details->height() >= header + chart;
    const bool showDescription =
        details->height() >= header + (showChart ? chart : 0) + 4 * fontMetrics().height();
    m_latency->setVisible(showChart);
    m_openRpc->setVisible(showDescription);
    auto* layout = static_cast<QBoxLayout*>(details->layout());
    const int stretch = showDescription ? 0 : 1;
    if (layout->stretch(layout->indexOf(m_latency)) != stretch)
        layout->setStretchFactor(m_latency, stretch);
}

// Reading order: the tabs, search, the table, its buttons left to right, then the details.
void ServerPanel::applyTabOrder()
{
    QList<QWidget*> order{m_tabs->tabBar(), m_search, m_view};
    if (m_mockActions)
        order += m_mockActions->buttonsInOrder();
    // Then the Connections tab's widgets: hidden while the methods show, and Tab skips them.
    order << m_callThis << m_openRpc << m_connections->focusOrder();
    setTabChain(order);
}

void ServerPanel::setMockService(MockService* mocks)
{
    if (m_mocks || !mocks)
        return;
    m_mocks = mocks;
    m_mockActions = new MockMethodActions(*mocks, this);
    m_mockActions->setObjectName(QStringLiteral("mockActions"));
    // Under the table: the actions apply to the selected row, and come after it when tabbing.
    static_cast<QVBoxLayout*>(m_search->parentWidget()->layout())->addWidget(m_mockActions);
    applyTabOrder();
    connect(m_mockActions, &MockMethodActions::methodSaved, this, [this](const QString& name) {
        if (!selectMethod(name))
            m_selectAfterReset = name; // new or renamed: selected once the list has reloaded
    });
    connect(&mocks->faults(), &FaultTable::changed, this, &ServerPanel::showCurrent);
    showCurrent();
}

void ServerPanel::setServer(RpcServer* server)
{
    m_connections->setServer(server);
}

int ServerPanel::currentSourceRow() const
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    return current.isValid() ? current.row() : -1;
}

MethodInfo ServerPanel::currentMethod() const
{
    return m_model->method(currentSourceRow());
}

void ServerPanel::showLatency()
{
    const int row = currentSourceRow();
    m_latency->setEmptyText(row < 0 ? tr("Select a method to see its latencies") : tr("no calls yet"));
    m_latency->setSnapshot(m_model->latency(row));
}

bool ServerPanel::selectMethod(const QString& name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void ServerPanel::showCurrent()
{
    showLatency();
    const MethodInfo method = currentMethod();
    m_callThis->setEnabled(!method.name.isEmpty());
    if (m_mockActions)
        m_mockActions->setCurrent(method.name);
    if (method.name.isEmpty()) {
        m_title->setText(
            tr("%1 methods registered. Select one to see its description.").arg(m_model->rowCount()));
        m_openRpc->clear();
        if (isVisible())
            fitDetails();
        return;
    }
    QString html = QStringLiteral("<b>%1</b>").arg(method.signature().toHtmlEscaped());
    if (!method.description.isEmpty())
        html += QStringLiteral("<br>%1").arg(method.description.toHtmlEscaped());
    if (!method.enabled)
        html += tr("<br><i>disabled: calls answer \"method not found\"</i>");
    if (!method.builtin)
        html += tr("<br><i>user-defined (mock)</i>");
    if (m_mocks) {
        if (const auto faults = m_mocks->faults().find(method.name))
            html += tr("<br><i>faults: %1</i>").arg(faults->describe().toHtmlEscaped());
        if (const auto mock = m_mocks->method(method.name); mock && !subscriptionNote(*mock).isEmpty())
            html += QStringLiteral("<br><i>%1</i>").arg(subscriptionNote(*mock).toHtmlEscaped());
    }
    m_title->setText(html);
    m_openRpc->setPayload(JsonText::serialize(OpenRpcDocument::methodToJson(method)));
    // The title's height may have changed. Not before the first show: the splitter sizes its
    // parts from their size hints then, and a hidden description would leave no room for it.
    if (isVisible())
        fitDetails();
}

} // namespace rpcbench
