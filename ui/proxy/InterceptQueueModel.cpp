#include "proxy/InterceptQueueModel.h"

#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"
#include "util/MonotonicClock.h"

#include <algorithm>

namespace rpcbench {

QString InterceptRow::methodText() const
{
    const MessageSummary& s = message.summary;
    if (!s.method.isEmpty())
        return s.method;
    if (s.kind == MessageKind::Batch)
        return InterceptQueueModel::tr("batch of %1").arg(s.batchSize);
    const bool error = s.kind == MessageKind::Error;
    if (!message.requestMethod.isEmpty())
        return error ? InterceptQueueModel::tr("error reply to %1").arg(message.requestMethod)
                     : InterceptQueueModel::tr("reply to %1").arg(message.requestMethod);
    // A reply nobody waited for (or one of a batch): its id is all there is.
    return error ? InterceptQueueModel::tr("error reply") : InterceptQueueModel::tr("reply");
}

QString InterceptRow::idText() const
{
    const QByteArray& id = message.summary.idJson;
    if (id.size() >= 2 && id.startsWith('"') && id.endsWith('"'))
        return QString::fromUtf8(id.mid(1, id.size() - 2));
    return QString::fromUtf8(id);
}

InterceptQueueModel::InterceptQueueModel(ProxySet* proxies, QObject* parent)
    : QAbstractTableModel(parent), m_proxies(proxies), m_nowUs([] { return MonotonicClock::nowUs(); })
{
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &InterceptQueueModel::tick);
    if (!m_proxies)
        return;
    for (int i = 0; i < m_proxies->count(); ++i)
        watch(m_proxies->proxy(i)->intercept());
    connect(m_proxies, &ProxySet::proxyAdded, this,
            [this](int index) { watch(m_proxies->proxy(index)->intercept()); });
    connect(m_proxies, &ProxySet::proxyAboutToBeRemoved, this,
            [this](int index) { forget(m_proxies->proxy(index)->intercept().get()); });
}

void InterceptQueueModel::watch(const std::shared_ptr<InterceptQueue>& queue)
{
    // Queued: the queue signals from its proxy's worker thread.
    const std::weak_ptr<InterceptQueue> weak = queue;
    connect(
        queue.get(), &InterceptQueue::held, this,
        [this, weak](const HeldMessage& message) {
            if (const auto q = weak.lock())
                add(q, message);
        },
        Qt::QueuedConnection);
    const InterceptQueue* key = queue.get();
    connect(
        queue.get(), &InterceptQueue::released, this,
        [this, key](quint64 id, InterceptDecision::Action action, bool timedOut, bool discarded) {
            release(key, id, action, timedOut, discarded);
        },
        Qt::QueuedConnection);
    // Messages held before the model watched; add() ignores one that is also still queued.
    for (const HeldMessage& message : queue->pending())
        add(queue, message);
}

void InterceptQueueModel::forget(const InterceptQueue* queue)
{
    disconnect(queue, nullptr, this, nullptr);
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (m_rows[size_t(row)].queue.get() != queue)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }
    countChanged();
}

void InterceptQueueModel::add(const std::shared_ptr<InterceptQueue>& queue, const HeldMessage& message)
{
    if (rowOf(queue.get(), message.id) >= 0)
        return;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_rows.push_back(InterceptRow{queue, message, proxyName(queue.get(), message), {}});
    endInsertRows();
    dropOldEnded();
    countChanged();
    emit messageHeld(rowOf(queue.get(), message.id));
}

void InterceptQueueModel::release(const InterceptQueue* queue, quint64 id, InterceptDecision::Action action,
                                  bool timedOut, bool discarded)
{
    const int row = rowOf(queue, id);
    if (row >= 0)
        end(row, endedText(action, timedOut, discarded, false));
}

QString InterceptQueueModel::proxyName(const InterceptQueue* queue, const HeldMessage& message) const
{
    // The message names the listen URL as configured ("tcp://127.0.0.1:0"); the running proxy
    // knows the port it got.
    for (int i = 0; m_proxies && i < m_proxies->count(); ++i) {
        const Proxy* proxy = m_proxies->proxy(i);
        if (proxy->intercept().get() != queue)
            continue;
        const QList<Endpoint> endpoints = proxy->listeningEndpoints();
        if (!endpoints.isEmpty())
            return endpoints.constFirst().toString();
    }
    return message.proxy;
}

bool InterceptQueueModel::decide(int row, const InterceptDecision& decision, QString* error)
{
    InterceptRow& r = m_rows.at(size_t(row));
    if (!r.waiting()) {
        if (error)
            *error = tr("no longer waiting: %1").arg(r.ended);
        return false;
    }
    if (!r.queue->decide(r.message.id, decision, error))
        return false;
    // The queue's released() follows, queued, without knowing about the edit: say it now.
    const bool edited =
        decision.action == InterceptDecision::Action::Forward && decision.json != r.message.json;
    end(row, endedText(decision.action, false, false, edited));
    return true;
}

QString InterceptQueueModel::endedText(InterceptDecision::Action action, bool timedOut, bool discarded,
                                       bool edited)
{
    using Action = InterceptDecision::Action;
    if (discarded)
        return tr("connection closed");
    if (timedOut)
        return tr("timed out \u2192 forwarded");
    switch (action) {
    case Action::Forward:
        return edited ? tr("edited \u2192 forwarded") : tr("forwarded");
    case Action::Answer:
        return tr("answered locally");
    case Action::Drop:
        return tr("dropped");
    }
    return tr("ended");
}

void InterceptQueueModel::end(int row, const QString& how)
{
    InterceptRow& r = m_rows[size_t(row)];
    if (!r.waiting())
        return; // the first word on how it ended stays (our decide(), then the queue's echo)
    r.ended = how;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    countChanged();
}

void InterceptQueueModel::clearEnded()
{
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (m_rows[size_t(row)].waiting())
            continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }
}

void InterceptQueueModel::dropOldEnded()
{
    while (rowCount() > MaxRows) {
        const auto it =
            std::find_if(m_rows.begin(), m_rows.end(), [](const InterceptRow& r) { return !r.waiting(); });
        if (it == m_rows.end())
            return; // all still waiting: none may vanish
        const int row = int(it - m_rows.begin());
        beginRemoveRows({}, row, row);
        m_rows.erase(it);
        endRemoveRows();
    }
}

void InterceptQueueModel::countChanged()
{
    // The countdown runs only while something waits: an idle window does not wake every second.
    const int waiting = waitingCount();
    if (waiting == 0)
        m_countdown.stop();
    else if (!m_countdown.isActive())
        m_countdown.start();
    emit waitingCountChanged(waiting);
}

int InterceptQueueModel::rowOf(const InterceptQueue* queue, quint64 id) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(), [queue, id](const InterceptRow& r) {
        return r.queue.get() == queue && r.message.id == id;
    });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int InterceptQueueModel::waitingCount() const
{
    return int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [](const InterceptRow& r) { return r.waiting(); }));
}

qint64 InterceptQueueModel::remainingMs(int row) const
{
    // Rounded up: "0 s left" only once the deadline has passed.
    return qMax<qint64>(0, (m_rows[size_t(row)].message.deadlineUs - m_nowUs() + 999) / 1000);
}

void InterceptQueueModel::tick()
{
    // The queue times the message out and says so (released); this only redraws the countdown.
    for (int row = 0; row < rowCount(); ++row)
        if (m_rows[size_t(row)].waiting())
            emit dataChanged(index(row, StateColumn), index(row, StateColumn));
}

int InterceptQueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InterceptQueueModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InterceptQueueModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const InterceptRow& r = m_rows[size_t(index.row())];
    if (role == Qt::ToolTipRole && index.column() == StateColumn && r.waiting())
        return tr("Forwarded unchanged when the countdown ends");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ProxyColumn:
        return r.proxyName;
    case ConnectionColumn:
        return QString::number(r.message.connectionId);
    case DirectionColumn:
        return r.message.toServer ? tr("\u2192 server") : tr("\u2192 client");
    case MethodColumn:
        return r.methodText();
    case IdColumn:
        return r.idText();
    case StateColumn:
        if (!r.waiting())
            return r.ended;
        return tr("%1 s left").arg((remainingMs(index.row()) + 999) / 1000);
    }
    return {};
}

QVariant InterceptQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ProxyColumn:
        return tr("Proxy");
    case ConnectionColumn:
        return tr("Conn.");
    case DirectionColumn:
        return tr("Direction");
    case MethodColumn:
        return tr("Method");
    case IdColumn:
        return tr("Id");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace rpcbench
