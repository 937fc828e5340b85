#include "server/ConnectionsPanel.h"

#include "server/ConnectionsModel.h"
#include "server/RpcServer.h"
#include "server/SendToClientDialog.h"
#include "widgets/ColumnAutoSizer.h"
#include "widgets/FlowLayout.h"

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace rpcbench {

ConnectionsPanel::ConnectionsPanel(QWidget* parent)
    : QWidget(parent), m_model(new ConnectionsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_summary(new QLabel(this)), m_view(new QTableView(this)),
      m_send(new QPushButton(QIcon(QStringLiteral(":/icons/send.svg")), tr("Send to client…"), this)),
      m_sendAll(new QPushButton(tr("Send to all…"), this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConnectionsModel::SortRole);
    m_summary->setObjectName(QStringLiteral("connectionsSummary"));
    m_summary->setWordWrap(true);

    m_view->setObjectName(QStringLiteral("connectionsView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConnectionsModel::IdColumn, Qt::AscendingOrder);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move in it
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    for (const auto& [column, chars] : {std::pair{ConnectionsModel::IdColumn, 4},
                                        {ConnectionsModel::PeerColumn, 16},
                                        {ConnectionsModel::TransportColumn, 6},
                                        {ConnectionsModel::PushColumn, 5},
                                        {ConnectionsModel::InColumn, 6},
                                        {ConnectionsModel::OutColumn, 6},
                                        {ConnectionsModel::AgeColumn, 8}})
        m_view->horizontalHeader()->resizeSection(column, chars * digit);
    new ColumnAutoSizer(m_view);
    connect(m_view, &QTableView::customContextMenuRequested, this, &ConnectionsPanel::showContextMenu);
    connect(m_view, &QTableView::doubleClicked, this, [this] { openSendDialog(currentConnection()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ConnectionsPanel::updateState);

    m_send->setObjectName(QStringLiteral("sendToClientButton"));
    m_send->setToolTip(tr("Send a notification or a request to the selected connection"));
    m_sendAll->setObjectName(QStringLiteral("sendToAllButton"));
    m_sendAll->setToolTip(tr("Send a notification to every connection that can take pushes"));
    connect(m_send, &QPushButton::clicked, this, [this] { openSendDialog(currentConnection()); });
    connect(m_sendAll, &QPushButton::clicked, this, [this] { openSendDialog(0); });

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &ConnectionsPanel::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionsPanel::updateState);
    // A listed connection can become able to take pushes (its first bytes, an event stream).
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ConnectionsPanel::updateState);

    auto* buttons = new QWidget(this);
    auto* buttonLayout = new FlowLayout(buttons);
    buttonLayout->setContentsMargins(0, 0, 0, 0);
    buttonLayout->addWidget(m_send);
    buttonLayout->addWidget(m_sendAll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    updateState();
}

void ConnectionsPanel::setServer(RpcServer* server)
{
    m_model->setServer(server);
    updateState();
}

QList<QWidget*> ConnectionsPanel::focusOrder() const
{
    return {m_view, m_send, m_sendAll};
}

quint64 ConnectionsPanel::currentConnection() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(ConnectionsModel::ConnectionIdRole).toULongLong() : 0;
}

bool ConnectionsPanel::selectConnection(quint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
    return true;
}

SendToClientDialog* ConnectionsPanel::openSendDialog(quint64 connectionId)
{
    auto* dialog = new SendToClientDialog(m_model->server(), m_model, connectionId, this);
    dialog->open();
    return dialog;
}

void ConnectionsPanel::updateState()
{
    const int count = m_model->rowCount();
    const int push = m_model->pushCapableCount();
    if (!m_model->server())
        m_summary->setText(tr("The embedded server is not available."));
    else if (count == 0)
        m_summary->setText(tr("No client is connected to the embedded server."));
    else
        m_summary->setText(count == 1 ? tr("1 open connection, %1 can take pushes.").arg(push)
                                      : tr("%1 open connections, %2 can take pushes.").arg(count).arg(push));
    m_send->setEnabled(currentConnection() != 0);
    m_sendAll->setEnabled(push > 0);
    emit countChanged(count);
}

void ConnectionsPanel::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    // popup(), not exec(): no nested event loop; the menu deletes itself once closed.
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (index.isValid()) {
        const quint64 id = index.data(ConnectionsModel::ConnectionIdRole).toULongLong();
        menu->addAction(tr("Send to #%1…").arg(id), this, [this, id] { openSendDialog(id); });
    }
    menu->addAction(tr("Send to all…"), this, [this] { openSendDialog(0); })
        ->setEnabled(m_sendAll->isEnabled());
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

} // namespace rpcbench
