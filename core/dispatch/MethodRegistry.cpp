#include "dispatch/MethodRegistry.h"

#include "util/Log.h"

#include <mutex>

#include <algorithm>

namespace rpcbench {

MethodRegistry::MethodRegistry(QObject* parent) : QObject(parent) {}

void MethodRegistry::insert(std::shared_ptr<Method> method)
{
    {
        std::unique_lock lock(m_lock);
        // Replacing a method keeps its live figures: the GUI shows one row per name.
        auto it = m_methods.find(method->info.name);
        if (it != m_methods.end())
            method->stats = it.value()->stats;
        const QString name = method->info.name; // read before the move below
        qCDebug(lcDispatch) << (it != m_methods.end() ? "method replaced:" : "method registered:") << name;
        m_methods.insert(name, std::move(method));
    }
    emit methodsChanged();
}

void MethodRegistry::add(MethodInfo info, Handler handler)
{
    auto m = std::make_shared<Method>();
    m->info = std::move(info);
    m->handler = std::move(handler);
    insert(std::move(m));
}

void MethodRegistry::addSync(MethodInfo info, SyncHandler handler)
{
    auto m = std::make_shared<Method>();
    m->info = std::move(info);
    m->syncHandler = std::move(handler);
    // Callers that only know Handler (e.g. wrappers that add latency) still work.
    m->handler = [sync = m->syncHandler](const QJsonArray& args, Responder done) { done(sync(args)); };
    insert(std::move(m));
}

bool MethodRegistry::remove(const QString& name)
{
    bool removed = false;
    {
        std::unique_lock lock(m_lock);
        removed = m_methods.remove(name) > 0;
    }
    if (removed) {
        qCDebug(lcDispatch) << "method removed:" << name;
        emit methodsChanged();
    }
    return removed;
}

bool MethodRegistry::updateInfo(const QString& name, const std::function<void(MethodInfo&)>& change)
{
    {
        std::unique_lock lock(m_lock);
        auto it = m_methods.find(name);
        if (it == m_methods.end())
            return false;
        // Methods are immutable once published (dispatchers may hold them): swap in a copy
        // that shares the handlers and the live figures.
        auto copy = std::make_shared<Method>(*it.value());
        change(copy->info);
        it.value() = std::move(copy);
    }
    emit methodsChanged();
    return true;
}

bool MethodRegistry::setEnabled(const QString& name, bool enabled)
{
    return updateInfo(name, [enabled](MethodInfo& info) { info.enabled = enabled; });
}

bool MethodRegistry::setResultDescription(const QString& name, const QString& description)
{
    return updateInfo(name, [&description](MethodInfo& info) { info.resultDescription = description; });
}

std::shared_ptr<const Method> MethodRegistry::find(const QString& name) const
{
    std::shared_lock lock(m_lock);
    return m_methods.value(name);
}

QList<MethodInfo> MethodRegistry::methods() const
{
    QList<MethodInfo> out;
    {
        std::shared_lock lock(m_lock);
        out.reserve(m_methods.size());
        for (const auto& m : m_methods)
            out.append(m->info);
    }
    std::sort(out.begin(), out.end(),
              [](const MethodInfo& a, const MethodInfo& b) { return a.name < b.name; });
    return out;
}

QStringList MethodRegistry::names() const
{
    QStringList out;
    {
        std::shared_lock lock(m_lock);
        out = m_methods.keys();
    }
    out.sort();
    return out;
}

} // namespace rpcbench

namespace rpcbench::detail {

void throwOutOfRange(const QString& name, const char* cppType)
{
    throw RpcException(
        ErrorCode::InvalidParams,
        QStringLiteral("parameter '%1' is out of range for a %2").arg(name, QLatin1StringView(cppType)));
}

QStringList argNames(const QList<Arg>& args)
{
    QStringList names;
    names.reserve(args.size());
    for (const Arg& a : args)
        names << a.name;
    return names;
}

} // namespace rpcbench::detail
