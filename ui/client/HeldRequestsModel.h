#pragma once
// The server requests the client holds for the user (RpcClient::requestHeld), newest last:
// method, id and the time left before the hold times out (a countdown refreshed every second),
// then how it ended (RpcClient::holdEnded: answered, rejected, timed out, connection closed).
// Ended rows stay, so the user sees what became of a request; the oldest ended ones go beyond
// MaxRows.

#include <QAbstractTableModel>
#include <QByteArray>
#include <QJsonValue>
#include <QTimer>

#include <functional>
#include <vector>

namespace rpcbench {

struct HeldRequest
{
    quint64 holdId = 0;
    quint64 linkId = 0;
    QString method;
    QJsonValue id;
    QJsonValue params = QJsonValue::Undefined;
    QByteArray request;
    qint64 deadlineMs = 0;
    QString ended; // empty while waiting; else how it ended
};

class HeldRequestsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { MethodColumn, IdColumn, StateColumn, ColumnCount };
    static constexpr int MaxRows = 500;

    explicit HeldRequestsModel(QObject* parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }

    void add(quint64 holdId, quint64 linkId, const QByteArray& request);
    void end(quint64 holdId, const QString& how);
    void clear();
    void clearEnded(); // those still waiting stay: they need an answer

    int rowOf(quint64 holdId) const;
    const HeldRequest& request(int row) const { return m_rows[size_t(row)]; }
    int waitingCount() const;
    qint64 remainingMs(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void waitingCountChanged(int count);

private:
    void tick();
    void dropOldEnded();

    std::vector<HeldRequest> m_rows;
    std::function<qint64()> m_now;
    QTimer m_countdown;
    int m_timeoutMs = 60'000;
};

} // namespace rpcbench
