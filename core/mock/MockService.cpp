#include "mock/MockService.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "mock/ScriptRunner.h"
#include "mock/Workspace.h"

#include <QFileInfo>

namespace rpcbench {

namespace {

bool isIntrospection(const QString& name)
{
    return name.startsWith(u"rpc.") || name.startsWith(u"system.");
}

// The demo methods, registered into a scratch registry so they can be copied one by one.
// The introspection methods are left out: their handlers point at the scratch registry.
std::shared_ptr<MethodRegistry> demoRegistry()
{
    auto scratch = std::make_shared<MethodRegistry>();
    registerDemoService(*scratch);
    for (const QString& name : scratch->names()) {
        if (isIntrospection(name))
            scratch->remove(name);
    }
    return scratch;
}

} // namespace

MockService::MockService(std::shared_ptr<MethodRegistry> registry, std::shared_ptr<ScriptRunner> scripts,
                         QObject* parent)
    : QObject(parent), m_registry(std::move(registry)), m_scripts(std::move(scripts))
{
    // The registry usually arrives with the demo service registered; mirror that.
    m_demoMethods = m_registry->find(QStringLiteral("echo")) != nullptr;
}

qsizetype MockService::indexOf(const QString& name) const
{
    for (qsizetype i = 0; i < m_methods.size(); ++i) {
        if (m_methods.at(i).name == name)
            return i;
    }
    return -1;
}

bool MockService::isBuiltin(const QString& name) const
{
    const auto m = m_registry->find(name);
    return m && m->info.builtin;
}

FaultTable& MockService::faults()
{
    return m_registry->faults();
}

std::optional<UserMethod> MockService::method(const QString& name) const
{
    const qsizetype i = indexOf(name);
    if (i < 0)
        return std::nullopt;
    return m_methods.at(i);
}

QString MockService::check(const UserMethod& method, const QString& replacing) const
{
    if (QString problem = method.validate(); !problem.isEmpty())
        return problem;
    if (isBuiltin(method.name))
        return QStringLiteral("'%1' is a built-in method%2")
            .arg(method.name, m_demoMethods && !isIntrospection(method.name)
                                  ? QStringLiteral(" (turn the demo methods off to mock it)")
                                  : QString());
    if (method.name != replacing && indexOf(method.name) >= 0)
        return QStringLiteral("a method called '%1' exists already").arg(method.name);
    if (method.kind == UserHandlerKind::Script && m_scripts) {
        if (auto p = m_scripts->check(method.scriptFunction()))
            return QStringLiteral("script %1").arg(p->toString());
    }
    return {};
}

bool MockService::addMethod(const UserMethod& method, QString* error)
{
    return updateMethod(method.name, method, error);
}

bool MockService::updateMethod(const QString& oldName, const UserMethod& method, QString* error)
{
    const qsizetype index = indexOf(oldName);
    if (QString problem = check(method, index >= 0 ? oldName : QString()); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    if (index >= 0 && oldName != method.name) {
        unregister(oldName);
        faults().rename(oldName, method.name);
    }
    if (index >= 0)
        m_methods[index] = method;
    else
        m_methods.append(method);
    method.registerInto(*m_registry, m_scripts);
    emit methodsChanged();
    return true;
}

void MockService::unregister(const QString& name)
{
    m_registry->remove(name);
}

bool MockService::removeMethod(const QString& name)
{
    const qsizetype index = indexOf(name);
    if (index < 0)
        return false;
    m_methods.removeAt(index);
    unregister(name);
    faults().clear(name);
    emit methodsChanged();
    return true;
}

bool MockService::setMethodEnabled(const QString& name, bool enabled)
{
    if (!m_registry->setEnabled(name, enabled))
        return false;
    const qsizetype index = indexOf(name);
    if (index >= 0) {
        m_methods[index].enabled = enabled;
        emit methodsChanged();
    }
    return true;
}

void MockService::setDemoMethods(bool on)
{
    if (on == m_demoMethods)
        return;
    m_demoMethods = on;
    const auto demo = demoRegistry();
    for (const QString& name : demo->names()) {
        if (!on) {
            if (isBuiltin(name))
                m_registry->remove(name);
            continue;
        }
        if (m_registry->find(name))
            continue; // a user method took the name meanwhile: it wins
        const auto m = demo->find(name);
        if (m->syncHandler)
            m_registry->addSync(m->info, m->syncHandler);
        else
            m_registry->add(m->info, m->handler);
    }
}

QStringList MockService::disabledBuiltins() const
{
    QStringList out;
    for (const MethodInfo& m : m_registry->methods()) {
        if (m.builtin && !m.enabled)
            out << m.name;
    }
    return out;
}

void MockService::saveTo(Workspace& w) const
{
    w.server.demoMethods = m_demoMethods;
    w.server.disabledMethods = disabledBuiltins();
    w.methods = m_methods;
    w.faults = m_registry->faults().all();
}

QStringList MockService::builtinNames(bool withDemo) const
{
    const QStringList demo = demoRegistry()->names();
    QStringList out;
    for (const MethodInfo& m : m_registry->methods()) {
        if (m.builtin && !demo.contains(m.name))
            out << m.name;
    }
    if (withDemo)
        out += demo;
    return out;
}

std::optional<Workspace> MockService::readWorkspace(const QString& path, QString* error) const
{
    auto w = Workspace::load(path, m_scripts.get(), error);
    if (!w)
        return std::nullopt;
    if (QString problem = checkWorkspace(*w); !problem.isEmpty()) {
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), problem);
        return std::nullopt;
    }
    return w;
}

QString MockService::checkWorkspace(const Workspace& w) const
{
    const QStringList builtins = builtinNames(w.server.demoMethods);
    for (qsizetype i = 0; i < w.methods.size(); ++i) {
        const QString& name = w.methods.at(i).name;
        if (builtins.contains(name))
            return QStringLiteral("methods[%1] '%2': a built-in method has this name%3")
                .arg(i)
                .arg(name, w.server.demoMethods && !isIntrospection(name)
                               ? QStringLiteral(" (set server.demoMethods to false to mock it)")
                               : QString());
    }
    return {};
}

void MockService::apply(const Workspace& w)
{
    for (const UserMethod& m : std::as_const(m_methods))
        unregister(m.name);
    m_methods.clear();
    setDemoMethods(w.server.demoMethods);
    for (const MethodInfo& m : m_registry->methods()) {
        if (m.builtin)
            m_registry->setEnabled(m.name, !w.server.disabledMethods.contains(m.name));
    }
    addValidated(w.methods);
    m_registry->faults().replaceAll(w.faults);
    emit methodsChanged();
}

void MockService::replaceMethods(const QList<UserMethod>& methods)
{
    for (const UserMethod& m : std::as_const(m_methods))
        unregister(m.name);
    m_methods.clear();
    addValidated(methods);
    emit methodsChanged();
}

// Validated already; a name clashing with a built-in (or repeated) still loses to the first.
void MockService::addValidated(const QList<UserMethod>& methods)
{
    for (const UserMethod& m : methods) {
        if (isBuiltin(m.name) || indexOf(m.name) >= 0)
            continue;
        m_methods.append(m);
        m.registerInto(*m_registry, m_scripts);
    }
}

} // namespace rpcbench
