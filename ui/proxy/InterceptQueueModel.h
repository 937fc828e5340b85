#pragma once
// The messages the proxies of a ProxySet hold on a breakpoint (InterceptQueue::held), oldest
// first: the proxy's listen URL, the client connection, the direction, the method and id, and
// the time left before the queue forwards the message unchanged (a countdown redrawn every
// second while something waits); then how it ended. Ended rows stay, so the user sees what
// became of a message; the oldest ended ones go beyond MaxRows. Rows of a removed proxy go.
//
// The queues signal from their proxy's worker thread: the model listens through queued
// connections and only ever runs on the GUI thread. Decisions go through decide(), which also
// records what the user did (an edit is not visible in InterceptQueue::released).
#include "proxy/InterceptQueue.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace rpcbench {

class ProxySet;

struct InterceptRow
{
    std::shared_ptr<InterceptQueue> queue; // the proxy's queue: ids are unique only within it
    HeldMessage message;
    QString proxyName; // where the proxy listens (its real port when it asked for port 0)
    QString ended;     // empty while waiting; else how it ended ("forwarded", "dropped", ...)

    bool waiting() const { return ended.isEmpty(); }
    // Request and notification: "add"; a reply: "reply to add" (or "error reply to add").
    QString methodText() const;
    QString idText() const;
};

class InterceptQueueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        ProxyColumn,
        ConnectionColumn,
        DirectionColumn,
        MethodColumn,
        IdColumn,
        StateColumn,
        ColumnCount
    };
    static constexpr int MaxRows = 500;

    explicit InterceptQueueModel(ProxySet* proxies, QObject* parent = nullptr);

    // MonotonicClock microseconds by default (the queue's deadlines use it); tests inject one.
    void setClock(std::function<qint64()> nowUs) { m_nowUs = std::move(nowUs); }

    int rowOf(const InterceptQueue* queue, quint64 id) const;
    const InterceptRow& row(int row) const { return m_rows[size_t(row)]; }
    int waitingCount() const;
    qint64 remainingMs(int row) const;
    bool countdownActive() const { return m_countdown.isActive(); }

    // Applies `decision` to the waiting message of `row`. False with *error when the queue
    // refuses it (no longer waiting, invalid JSON): the row then ends when the queue says how.
    bool decide(int row, const InterceptDecision& decision, QString* error);
    void clearEnded(); // those still waiting stay: they need a decision

    // The queue's own signals, public for tests that drive a queue directly.
    void add(const std::shared_ptr<InterceptQueue>& queue, const HeldMessage& message);
    void release(const InterceptQueue* queue, quint64 id, InterceptDecision::Action action, bool timedOut,
                 bool discarded);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString endedText(InterceptDecision::Action action, bool timedOut, bool discarded, bool edited);

signals:
    void waitingCountChanged(int count);
    void messageHeld(int row); // a new row waits (the panel selects it when nothing else is)

private:
    void watch(const std::shared_ptr<InterceptQueue>& queue);
    void forget(const InterceptQueue* queue);
    QString proxyName(const InterceptQueue* queue, const HeldMessage& message) const;
    void end(int row, const QString& how);
    void tick();
    void dropOldEnded();
    void countChanged();

    QPointer<ProxySet> m_proxies; // the window may destroy it first
    std::vector<InterceptRow> m_rows;
    std::function<qint64()> m_nowUs;
    QTimer m_countdown;
};

} // namespace rpcbench
