#pragma once
// The fault settings of every method, by name. Thread-safe: the GUI (or a workspace loader)
// changes them while the server's worker thread reads them for each call, so a change applies
// to the very next call ("switchable live"). Settings may name a method that does not exist
// (yet); they apply once it does.

#include "dispatch/FaultSettings.h"

#include <QHash>
#include <QMap>
#include <QObject>

#include <atomic>
#include <optional>
#include <shared_mutex>

namespace rpcbench {

class FaultTable : public QObject
{
    Q_OBJECT
public:
    explicit FaultTable(QObject* parent = nullptr);

    void set(const QString& method, const FaultSettings& settings); // adds or replaces
    bool clear(const QString& method);
    void replaceAll(const QMap<QString, FaultSettings>& faults);
    // Carries a method's settings over to its new name (a user method was renamed).
    void rename(const QString& from, const QString& to);

    std::optional<FaultSettings> find(const QString& method) const; // stored settings, on or off
    // The settings to apply to a call of `method`: nullopt unless they are active. Cheap when no
    // method has active faults (one atomic load): this sits on the dispatch hot path.
    std::optional<FaultSettings> activeFor(const QString& method) const;
    QMap<QString, FaultSettings> all() const; // sorted by method name
    bool isEmpty() const;

signals:
    void changed(); // emitted from the thread that made the change

private:
    void recount(); // with m_lock held for writing

    mutable std::shared_mutex m_lock;
    QHash<QString, FaultSettings> m_faults;
    std::atomic<int> m_activeCount{0};
};

} // namespace rpcbench
