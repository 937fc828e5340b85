#include "server/ConnectionsModel.h"

#include "server/RpcServer.h"
#include "util/JsonText.h"
#include "util/MonotonicClock.h"

#include <QSet>

namespace rpcbench {

namespace {

// Counters and ages move slowly enough for a person reading them; a busy server must not make
// the GUI repaint the list per message.
constexpr int kDefaultRefreshMs = 1000;

bool sameCounters(const ConnectionInfo& a, const ConnectionInfo& b)
{
    return a.messagesIn == b.messagesIn && a.messagesOut == b.messagesOut;
}

bool sameShape(const ConnectionInfo& a, const ConnectionInfo& b)
{
    return a.peer == b.peer && a.listener == b.listener && a.transport == b.transport &&
           a.canPush == b.canPush && a.openedUs == b.openedUs;
}

} // namespace

ConnectionsModel::ConnectionsModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_timer.setInterval(kDefaultRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionsModel::refresh);
}

void ConnectionsModel::setServer(RpcServer* server)
{
    if (m_server == server)
        return;
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    m_server = server;
    if (m_server) {
        connect(m_server, &RpcServer::connectionsChanged, this, &ConnectionsModel::refresh);
        connect(m_server, &RpcServer::stopped, this, &ConnectionsModel::refresh);
        m_timer.start();
    } else {
        m_timer.stop();
    }
    refresh();
}

void ConnectionsModel::setRefreshInterval(int ms)
{
    m_timer.setInterval(ms);
}

void ConnectionsModel::refresh()
{
    const QList<ConnectionInfo> fresh = m_server ? m_server->connections() : QList<ConnectionInfo>{};
    removeClosed(fresh);
    if (!mergeInto(fresh)) {
        beginResetModel();
        m_rows = fresh;
        endResetModel();
    }
}

void ConnectionsModel::removeClosed(const QList<ConnectionInfo>& fresh)
{
    QSet<quint64> open;
    for (const ConnectionInfo& c : fresh)
        open.insert(c.id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (open.contains(m_rows[row].id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

bool ConnectionsModel::mergeInto(const QList<ConnectionInfo>& fresh)
{
    // The rows left after removeClosed() must be a subsequence of `fresh` (both oldest first);
    // the new connections are inserted around them.
    qsizetype at = 0;
    for (const ConnectionInfo& c : std::as_const(m_rows)) {
        while (at < fresh.size() && fresh[at].id != c.id)
            ++at;
        if (at == fresh.size())
            return false;
        ++at;
    }
    for (int row = 0; row < fresh.size(); ++row) {
        const ConnectionInfo& c = fresh[row];
        if (row < m_rows.size() && m_rows[row].id == c.id) {
            const bool shape = sameShape(m_rows[row], c);
            const bool counters = sameCounters(m_rows[row], c);
            m_rows[row] = c;
            // The age moves on every tick; the rest only when it changed.
            const int first = !shape ? 0 : !counters ? int(InColumn) : int(AgeColumn);
            emit dataChanged(index(row, first), index(row, ColumnCount - 1));
            continue;
        }
        beginInsertRows({}, row, row);
        m_rows.insert(row, c);
        endInsertRows();
    }
    return true;
}

int ConnectionsModel::rowOf(quint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].id == id)
            return row;
    }
    return -1;
}

int ConnectionsModel::pushCapableCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const auto& c) { return c.canPush; }));
}

QString ConnectionsModel::describe(const ConnectionInfo& c)
{
    return QStringLiteral("#%1 %2 (%3)").arg(c.id).arg(c.peer, toString(c.transport));
}

QString ConnectionsModel::whyNoPush(const ConnectionInfo& c)
{
    if (c.canPush)
        return {};
    if (c.transport == Transport::Http)
        return tr("#%1 is plain HTTP: the server can only answer its requests until the client "
                  "keeps an event stream open (GET with Accept: text/event-stream)")
            .arg(c.id);
    if (c.messagesIn == 0) // the framing is sniffed from the first bytes
        return tr("#%1 has sent nothing yet: its framing is unknown until it does").arg(c.id);
    return tr("#%1 cannot carry messages the server starts").arg(c.id);
}

QString ConnectionsModel::formatAge(qint64 us)
{
    const qint64 s = qMax<qint64>(0, us / 1'000'000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

int ConnectionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionInfo& c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(c, index.column());
    case Qt::ToolTipRole:
        return toolTip(c, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == InColumn || index.column() == OutColumn || index.column() == AgeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ConnectionIdRole:
        return c.id;
    case CanPushRole:
        return c.canPush;
    case SortRole:
        return sortKey(c, index.column());
    default:
        return {};
    }
}

QVariant ConnectionsModel::displayText(const ConnectionInfo& c, int column) const
{
    switch (column) {
    case IdColumn:
        return QStringLiteral("#%1").arg(c.id);
    case PeerColumn:
        return c.peer;
    case TransportColumn:
        return toString(c.transport);
    case PushColumn:
        return c.canPush ? tr("yes") : tr("no");
    case InColumn:
        return JsonText::formatCount(c.messagesIn);
    case OutColumn:
        return JsonText::formatCount(c.messagesOut);
    case AgeColumn:
        return formatAge(MonotonicClock::nowUs() - c.openedUs);
    case ListenerColumn:
        return c.listener.isEmpty() ? tr("(channel)") : c.listener;
    default:
        return {};
    }
}

QString ConnectionsModel::toolTip(const ConnectionInfo& c, int column) const
{
    switch (column) {
    case PushColumn:
        return c.canPush ? tr("Notifications and requests from the server reach this client") : whyNoPush(c);
    case InColumn:
        return tr("%1 messages received from the client").arg(c.messagesIn);
    case OutColumn:
        return tr("%1 messages sent to the client").arg(c.messagesOut);
    case AgeColumn:
        return tr("Open for %1").arg(formatAge(MonotonicClock::nowUs() - c.openedUs));
    default:
        return displayText(c, column).toString();
    }
}

QVariant ConnectionsModel::sortKey(const ConnectionInfo& c, int column) const
{
    switch (column) {
    case IdColumn:
        return c.id;
    case PushColumn:
        return c.canPush;
    case InColumn:
        return c.messagesIn;
    case OutColumn:
        return c.messagesOut;
    case AgeColumn:
        return -c.openedUs; // ascending as the ages shown: the youngest first
    default:
        return displayText(c, column);
    }
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole && section == PushColumn)
        return tr("Whether the server can send this client notifications and requests");
    if (role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {
        QT_TR_NOOP("#"),  QT_TR_NOOP("Peer"), QT_TR_NOOP("Transport"), QT_TR_NOOP("Push"),
        QT_TR_NOOP("In"), QT_TR_NOOP("Out"),  QT_TR_NOOP("Open for"),  QT_TR_NOOP("Listener")};
    return tr(names[section]);
}

} // namespace rpcbench
