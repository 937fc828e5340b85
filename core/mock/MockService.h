#pragma once
// The mock side of a server: user-defined methods, per-method faults and the choice of
// built-in methods, kept in one MethodRegistry while the server runs. Front ends (the GUI's
// server panel, `rpcbench serve --workspace`) change mocks only through this class, so
// validation (names, parameters, script syntax) happens in one place and a refused change
// leaves the registry untouched.
//
// Lives on the thread that created it (GUI or main); the registry and fault table it edits are
// thread-safe, so calls being served meanwhile see each change on their next call.

#include "dispatch/FaultTable.h"
#include "mock/UserMethod.h"

#include "mock/Workspace.h"

#include <QObject>

#include <memory>
#include <optional>

namespace rpcbench {

class MethodRegistry;
class ScriptRunner;

class MockService : public QObject
{
    Q_OBJECT
public:
    // `scripts` may be null: script methods then answer "scripting is not available" and
    // scripts are not compile-checked.
    MockService(std::shared_ptr<MethodRegistry> registry, std::shared_ptr<ScriptRunner> scripts,
                QObject* parent = nullptr);

    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }
    std::shared_ptr<ScriptRunner> scripts() const { return m_scripts; }

    // Full check of a definition that would replace `replacing` (empty = a new method):
    // validate(), a name not taken by a built-in or another user method, the script compiles.
    // Empty when fine.
    QString check(const UserMethod& method, const QString& replacing = {}) const;

    // Each returns false with *error set and changes nothing when check() fails.
    bool addMethod(const UserMethod& method, QString* error);
    bool updateMethod(const QString& oldName, const UserMethod& method, QString* error); // may rename
    bool removeMethod(const QString& name);
    // Any method, built-in or user: a disabled one answers -32601 and leaves discovery.
    bool setMethodEnabled(const QString& name, bool enabled);

    QList<UserMethod> methods() const { return m_methods; } // in definition order
    std::optional<UserMethod> method(const QString& name) const;
    bool isUserMethod(const QString& name) const { return indexOf(name) >= 0; }

    // The demo methods (add, echo, sleep, ...). Off removes them, which frees their names for
    // mocks; on brings back those not shadowed by a user method. Introspection always stays.
    bool demoMethods() const { return m_demoMethods; }
    void setDemoMethods(bool on);
    QStringList disabledBuiltins() const;

    FaultTable& faults();

    // Copies the mock state into `w` (server.demoMethods, server.disabledMethods, methods, faults).
    void saveTo(Workspace& w) const;
    // Workspace::load() with this service's script check, then checkWorkspace(): a workspace
    // that can be applied as is, or nullopt with *error naming the problem. Changes nothing.
    std::optional<Workspace> readWorkspace(const QString& path, QString* error) const;
    // What Workspace::fromJson cannot know: whether a user method of `w` would clash with a
    // built-in method of this registry once `w` is applied. Empty when `w` can be applied.
    QString checkWorkspace(const Workspace& w) const;
    // Replaces the mock state with that of a workspace validated by Workspace::fromJson and
    // checkWorkspace() (a user method clashing with a built-in one is skipped).
    void apply(const Workspace& w);
    // Replaces the user methods only (the client's own methods, Workspace::client.methods),
    // validated already like apply()'s.
    void replaceMethods(const QList<UserMethod>& methods);

signals:
    void methodsChanged(); // user methods added, edited, removed, enabled or disabled

private:
    qsizetype indexOf(const QString& name) const;
    bool isBuiltin(const QString& name) const;
    QStringList builtinNames(bool withDemo) const; // the built-in methods with demo methods on/off
    void unregister(const QString& name);
    void addValidated(const QList<UserMethod>& methods);

    std::shared_ptr<MethodRegistry> m_registry;
    std::shared_ptr<ScriptRunner> m_scripts;
    QList<UserMethod> m_methods;
    bool m_demoMethods = true;
};

} // namespace rpcbench
