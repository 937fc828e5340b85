#include "dispatch/FaultTable.h"

#include <mutex>

namespace rpcbench {

FaultTable::FaultTable(QObject* parent) : QObject(parent) {}

void FaultTable::recount()
{
    int active = 0;
    for (const FaultSettings& f : std::as_const(m_faults))
        active += f.isActive() ? 1 : 0;
    m_activeCount.store(active, std::memory_order_release);
}

void FaultTable::set(const QString& method, const FaultSettings& settings)
{
    {
        std::unique_lock lock(m_lock);
        m_faults.insert(method, settings);
        recount();
    }
    emit changed();
}

bool FaultTable::clear(const QString& method)
{
    {
        std::unique_lock lock(m_lock);
        if (m_faults.remove(method) == 0)
            return false;
        recount();
    }
    emit changed();
    return true;
}

void FaultTable::replaceAll(const QMap<QString, FaultSettings>& faults)
{
    {
        std::unique_lock lock(m_lock);
        m_faults.clear();
        for (auto it = faults.begin(); it != faults.end(); ++it)
            m_faults.insert(it.key(), it.value());
        recount();
    }
    emit changed();
}

void FaultTable::rename(const QString& from, const QString& to)
{
    if (from == to)
        return;
    {
        std::unique_lock lock(m_lock);
        auto it = m_faults.find(from);
        if (it == m_faults.end())
            return;
        const FaultSettings settings = it.value();
        m_faults.erase(it);
        m_faults.insert(to, settings);
        recount();
    }
    emit changed();
}

std::optional<FaultSettings> FaultTable::find(const QString& method) const
{
    std::shared_lock lock(m_lock);
    auto it = m_faults.constFind(method);
    if (it == m_faults.cend())
        return std::nullopt;
    return it.value();
}

std::optional<FaultSettings> FaultTable::activeFor(const QString& method) const
{
    if (m_activeCount.load(std::memory_order_acquire) == 0)
        return std::nullopt;
    std::shared_lock lock(m_lock);
    auto it = m_faults.constFind(method);
    if (it == m_faults.cend() || !it.value().isActive())
        return std::nullopt;
    return it.value();
}

QMap<QString, FaultSettings> FaultTable::all() const
{
    QMap<QString, FaultSettings> out;
    std::shared_lock lock(m_lock);
    for (auto it = m_faults.begin(); it != m_faults.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

bool FaultTable::isEmpty() const
{
    std::shared_lock lock(m_lock);
    return m_faults.isEmpty();
}

} // namespace rpcbench
