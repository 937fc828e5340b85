#include "log/LogFilterModel.h"

#include "log/TrafficLogModel.h"

namespace rpcbench {

LogFilterModel::LogFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    // Inserted rows are filtered as they arrive; there is no sort column, so nothing reorders.
    setDynamicSortFilter(true);
}

void LogFilterModel::setLogModel(TrafficLogModel* log)
{
    m_log = log;
    setSourceModel(log);
}

void LogFilterModel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_rawMatcher.setPattern(text.toUtf8());
    // Decided once per text, not per row: "late" finds the replies that came after a timeout.
    m_lateMatches = TrafficLogModel::lateMarker().contains(text, Qt::CaseInsensitive);
    refilter();
}

void LogFilterModel::setMethod(const QString& method)
{
    if (method == m_method)
        return;
    m_method = method;
    refilter();
}

void LogFilterModel::setErrorsOnly(bool on)
{
    if (on == m_errorsOnly)
        return;
    m_errorsOnly = on;
    refilter();
}

void LogFilterModel::setSide(std::optional<Side> side)
{
    if (side == m_side)
        return;
    m_side = side;
    refilter();
}

void LogFilterModel::setPeer(const QString& peer)
{
    if (peer == m_peer)
        return;
    m_peer = peer;
    bool ok = false;
    m_peerConnection = peer.startsWith(QLatin1Char('#')) ? peer.mid(1).toULongLong(&ok) : 0;
    if (!ok)
        m_peerConnection = 0;
    refilter();
}

bool LogFilterModel::isActive() const
{
    return !m_text.isEmpty() || !m_method.isEmpty() || m_errorsOnly || m_side || !m_peer.isEmpty();
}

void LogFilterModel::refilter()
{
    // invalidate() rebuilds the mapping behind one layoutChanged; invalidateFilter() would
    // announce every removed or re-inserted range separately (thousands at 100,000 rows).
    invalidate();
}

QList<int> LogFilterModel::sourceRows() const
{
    QList<int> rows;
    const int n = rowCount();
    rows.reserve(n);
    for (int i = 0; i < n; ++i)
        rows.append(mapToSource(index(i, 0)).row());
    return rows;
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_log || sourceParent.isValid())
        return true;
    const LogRecord& rec = m_log->record(sourceRow);
    const TrafficEvent& e = rec.event;
    const MessageSummary& s = e.summary;
    if (m_errorsOnly && !rec.isError())
        return false;
    if (m_side && e.side != *m_side)
        return false;
    if (!m_method.isEmpty() && rec.method() != m_method)
        return false;
    if (!m_peer.isEmpty()) {
        const bool match = m_peerConnection ? e.connectionId == m_peerConnection
                                            : e.peer.contains(m_peer, Qt::CaseInsensitive);
        if (!match)
            return false;
    }
    if (m_text.isEmpty())
        return true;
    return rec.method().contains(m_text, Qt::CaseInsensitive) ||
           e.peer.contains(m_text, Qt::CaseInsensitive) ||
           QLatin1String(s.idJson).contains(m_text, Qt::CaseInsensitive) ||
           rec.kindName().contains(m_text, Qt::CaseInsensitive) || (e.late && m_lateMatches) ||
           m_rawMatcher.indexIn(e.raw) >= 0;
}

} // namespace rpcbench
