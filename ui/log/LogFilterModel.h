#pragma once
// Filters the traffic log by text, method, errors only, side and peer. Every test reads the
// cached fields of a LogRecord (summary, peer, raw bytes) by source row, so re-filtering
// 100,000 rows parses no JSON and allocates nothing per row.

#include "protocol/RpcTypes.h"

#include <QByteArrayMatcher>
#include <QSortFilterProxyModel>

#include <optional>

namespace rpcbench {

class TrafficLogModel;

class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit LogFilterModel(QObject* parent = nullptr);

    void setLogModel(TrafficLogModel* log);
    TrafficLogModel* logModel() const { return m_log; }

    // Case-insensitive match on method, peer, id and kind (with the late marker); case-sensitive
    // on the raw bytes.
    void setText(const QString& text);
    void setMethod(const QString& method); // exact; empty = any
    void setErrorsOnly(bool on);
    void setSide(std::optional<Side> side); // nullopt = both
    void setPeer(const QString& peer);      // substring of the peer or "#<connection id>"

    QString text() const { return m_text; }
    QString method() const { return m_method; }
    bool errorsOnly() const { return m_errorsOnly; }
    std::optional<Side> side() const { return m_side; }
    QString peer() const { return m_peer; }
    bool isActive() const;

    QList<int> sourceRows() const; // accepted rows in order (for export)

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();

    TrafficLogModel* m_log = nullptr;
    QString m_text;
    QByteArrayMatcher m_rawMatcher;
    bool m_lateMatches = false; // the text is part of the late marker
    QString m_method;
    bool m_errorsOnly = false;
    std::optional<Side> m_side;
    QString m_peer;
    quint64 m_peerConnection = 0; // from "#12"
};

} // namespace rpcbench
