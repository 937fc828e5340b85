#pragma once
// The requests and notifications the server sent the client (RpcClient::incoming), oldest
// first: time, method, id (or "notification"), size and, for a request, how the client answered
// it (a client method, held for the user, -32601, ...). Messages arrive one signal each, at
// whatever rate the server pushes; they are queued and inserted in one batch every
// FlushIntervalMs, so a subscription firing thousands of events a second costs the view one
// insertion per tick. Bounded: only the newest MaxRows are kept (older ones are dropped, and
// counted, so the view can say so).
//
// Each notification also carries its subscription group key: the value at the JSON Pointer
// set with setGroupBy() (default /params/subscription, as eth_subscription has it), used by
// SubscriptionGroupsModel and the view's group filter.

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QTimer>

#include <functional>
#include <vector>

namespace rpcbench {

// How the client answered a server request.
enum class AnswerState : quint8 {
    None,         // a notification: nothing to answer
    ClientMethod, // answered by one of the client's own methods
    Waiting,      // no client method: waiting to be held (holding on)
    Held,         // waits for the user
    NotFound,     // answered -32601 (no client method, holding off)
    Answered,     // answered by the user
    Rejected,     // rejected by the user
    TimedOut,     // the hold timed out (answered with an error)
    Closed,       // the connection closed while it was held (nothing sent)
};

struct IncomingMessage
{
    qint64 timeMs = 0; // the model's clock (ms since the epoch) when it arrived
    quint64 linkId = 0;
    QString method;
    QJsonValue id = QJsonValue::Undefined; // Undefined: a notification
    qint64 size = 0;
    QByteArray payload; // the message alone (an element of a batch is re-serialised)
    QString groupKey;   // notifications: the value at the group-by pointer, empty when absent
    AnswerState answer = AnswerState::None;
    QByteArray answerPayload; // what the user sent, when the model knows it
    quint64 holdId = 0;

    bool isRequest() const { return !id.isUndefined(); }
};

class IncomingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { TimeColumn, MethodColumn, IdColumn, SizeColumn, AnswerColumn, ColumnCount };
    enum Role : int { GroupKeyRole = Qt::UserRole + 1, SearchTextRole };
    static constexpr int MaxRows = 10'000;
    static constexpr int FlushIntervalMs = 50;
    static constexpr auto DefaultGroupBy = "/params/subscription";

    explicit IncomingModel(QObject* parent = nullptr);

    // Queues a payload from RpcClient::incoming (one message or a batch of them).
    void add(quint64 linkId, const QByteArray& payload);
    // Inserts what is queued now (the timer does it FlushIntervalMs after the first add).
    void flush();
    void clear();

    // Which requests a client method answers (the client registry), and whether the client holds
    // the others; decides the answer shown until requestHeld/holdEnded say more.
    void setAnsweredLocally(std::function<bool(const QString& method)> answered)
    {
        m_local = std::move(answered);
    }
    void setHolding(bool hold) { m_holding = hold; }
    // RpcClient::requestHeld / holdEnded.
    void markHeld(quint64 holdId, quint64 linkId, const QByteArray& request);
    void markHoldEnded(quint64 holdId, const QString& how, const QByteArray& answer = {});
    // RpcClient::answerSent: the answers as written (one, or an array for a batch) join their
    // requests' rows, so the view shows what was really sent.
    void markAnswerSent(quint64 linkId, const QByteArray& reply);

    // A JSON Pointer ("/params/subscription"); empty means the default.
    void setGroupBy(const QString& pointer);
    QString groupBy() const { return m_groupBy; }
    // The value at `pointer` (RFC 6901) in `message` as text; empty when absent.
    static QString groupKeyOf(const QJsonValue& message, const QString& pointer);
    static QString answerText(AnswerState state);

    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }
    qint64 now() const { return m_now(); }

    const IncomingMessage& message(int row) const { return m_rows[size_t(row)]; }
    quint64 droppedCount() const { return m_dropped; } // rows removed to stay within MaxRows
    int queuedCount() const { return int(m_queue.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void messagesAdded(int first, int last); // after a flush inserted rows first..last
    void groupingChanged();                  // every group key was recomputed
    void answerChanged(int row);

private:
    struct Queued
    {
        qint64 timeMs;
        quint64 linkId;
        QByteArray payload;
    };
    struct HoldKey
    {
        quint64 linkId;
        QString id;
        friend bool operator==(const HoldKey&, const HoldKey&) = default;
    };
    friend size_t qHash(const HoldKey& key, size_t seed) { return qHashMulti(seed, key.linkId, key.id); }

    void append(std::vector<IncomingMessage>& out, const Queued& queued) const;
    IncomingMessage parse(const Queued& queued, const QJsonValue& message, const QByteArray& bytes) const;
    int findRequest(quint64 linkId, const QString& idText) const;
    int findHold(quint64 holdId) const;
    void setAnswer(int row, AnswerState state, const QByteArray& answer = {});
    static QString idText(const QJsonValue& id);

    std::vector<IncomingMessage> m_rows; // oldest first
    std::vector<Queued> m_queue;
    QHash<HoldKey, quint64> m_heldEarly; // requestHeld before its incoming row was inserted
    QTimer m_flushTimer;
    std::function<bool(const QString&)> m_local;
    std::function<qint64()> m_now;
    QString m_groupBy;
    quint64 m_dropped = 0;
    bool m_holding = false;
};

} // namespace rpcbench
