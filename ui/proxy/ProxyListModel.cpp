#include "proxy/ProxyListModel.h"

#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"

namespace rpcbench {

ProxyListModel::ProxyListModel(ProxySet* proxies, QObject* parent)
    : QAbstractTableModel(parent), m_proxies(proxies)
{
    for (int i = 0; i < m_proxies->count(); ++i)
        m_errors << QString();
    m_refresh.setInterval(1000);
    connect(&m_refresh, &QTimer::timeout, this, &ProxyListModel::refreshCounts);
    connect(m_proxies, &ProxySet::proxyAdded, this, [this](int row) {
        beginInsertRows({}, row, row);
        m_errors.insert(row, QString());
        endInsertRows();
    });
    connect(m_proxies, &ProxySet::proxyAboutToBeRemoved, this, [this](int row) {
        beginRemoveRows({}, row, row);
        m_errors.removeAt(row);
    });
    connect(m_proxies, &ProxySet::proxyRemoved, this, [this] {
        endRemoveRows();
        updateTimer();
    });
    connect(m_proxies, &ProxySet::stateChanged, this, [this](int row, bool running) {
        if (running)
            m_errors[row].clear();
        changedRow(row);
        updateTimer();
    });
    // Listen or upstream edited: the rows show the set as it stands.
    connect(m_proxies, &ProxySet::configsChanged, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    });
}

int ProxyListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_errors.size());
}

int ProxyListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProxyListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const bool running = m_proxies->isRunning(row);
    if (role == Qt::ToolTipRole && index.column() == StateColumn && !m_errors[row].isEmpty())
        return m_errors[row];
    if (role == Qt::TextAlignmentRole && index.column() >= ConnectionsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ListenColumn:
        if (running) {
            // Port 0 becomes a real port: show where clients must connect.
            const auto endpoints = m_proxies->proxy(row)->listeningEndpoints();
            if (!endpoints.isEmpty())
                return endpoints.constFirst().toString();
        }
        return m_proxies->listen(row);
    case UpstreamColumn:
        return m_proxies->upstream(row);
    case StateColumn:
        return running ? tr("running") : (m_errors[row].isEmpty() ? tr("stopped") : tr("error"));
    case ConnectionsColumn:
        return running ? QVariant(m_proxies->proxy(row)->stats().openConnections.value()) : QVariant();
    case MessagesColumn:
        return running ? QVariant(m_proxies->proxy(row)->stats().messagesIn.value()) : QVariant();
    default:
        return {};
    }
}

QVariant ProxyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ListenColumn:
        return tr("Listen");
    case UpstreamColumn:
        return tr("Upstream");
    case StateColumn:
        return tr("State");
    case ConnectionsColumn:
        return tr("Connections");
    case MessagesColumn:
        return tr("Messages");
    default:
        return {};
    }
}

void ProxyListModel::setError(int row, const QString& error)
{
    m_errors[row] = error;
    changedRow(row);
}

QString ProxyListModel::error(int row) const
{
    return m_errors.value(row);
}

void ProxyListModel::setLive(bool live)
{
    m_live = live;
    updateTimer();
    if (live)
        refreshCounts();
}

void ProxyListModel::refreshCounts()
{
    if (rowCount() > 0)
        emit dataChanged(index(0, ConnectionsColumn), index(rowCount() - 1, MessagesColumn),
                         {Qt::DisplayRole});
}

void ProxyListModel::changedRow(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProxyListModel::updateTimer()
{
    bool anyRunning = false;
    for (int i = 0; i < m_proxies->count() && !anyRunning; ++i)
        anyRunning = m_proxies->isRunning(i);
    if (m_live && anyRunning)
        m_refresh.start();
    else
        m_refresh.stop();
}

} // namespace rpcbench
