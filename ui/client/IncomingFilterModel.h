#pragma once
// The incoming view's filter over IncomingModel: rows whose method, id or group key contain
// the typed text (case-insensitive), and, when a subscription group is selected, only that
// group's events.

#include <QSortFilterProxyModel>

namespace rpcbench {

class IncomingFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit IncomingFilterModel(QObject* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }
    // Empty: every group (and the messages that belong to none).
    void setGroup(const QString& key);
    QString group() const { return m_group; }
    // The group keys were recomputed (a new group-by pointer): filter again.
    void regroup();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QString m_group;
};

} // namespace rpcbench
