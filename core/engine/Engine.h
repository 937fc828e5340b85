#pragma once
// The composition root of every front end: the method registry (demo and introspection
// methods), the traffic bus both sides publish to, the server (its sockets run on its own
// worker thread), the mock service over the registry and, when asked for, the script host
// for script methods (threads of its own). `rpcbench serve`, the GUI's BenchSession and the
// GUI benchmark all build them here, so they serve the same methods and apply a workspace
// the same way.
//
// Lives on the thread that created it (GUI or main) like the objects it owns. Nothing here
// does network I/O on that thread; reading a workspace file is the caller's choice of moment.

#include "mock/Workspace.h"
#include "server/ServerLimits.h"

#include <QString>

#include <memory>
#include <optional>

namespace rpcbench {

class MethodRegistry;
class MockService;
class RpcServer;
class ScriptHost;
class TrafficBus;

class Engine
{
public:
    struct Options
    {
        ServerLimits limits;   // the server's limits until a workspace or setLimits changes them
        bool scripting = true; // false: no script threads; script methods then cannot run
    };

    explicit Engine(const Options& options);
    Engine() : Engine(Options{}) {}
    ~Engine(); // stops the server first
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }
    std::shared_ptr<TrafficBus> bus() const { return m_bus; }
    RpcServer* server() const { return m_server.get(); }
    MockService* mocks() const { return m_mocks.get(); }
    std::shared_ptr<ScriptHost> scripts() const { return m_scripts; } // null without scripting
    // The client's own methods, answering the requests servers send the client
    // (RpcClient::setClientMethods): an empty registry edited through clientMocks(), on the same
    // script threads as the server's mocks.
    std::shared_ptr<MethodRegistry> clientRegistry() const { return m_clientRegistry; }
    MockService* clientMocks() const { return m_clientMocks.get(); }

    // A workspace file that can be applied as is (scripts compile-checked when scripting is on),
    // or nullopt with *error naming the problem. Changes nothing.
    std::optional<Workspace> readWorkspace(const QString& path, QString* error) const;
    // Applies a workspace from readWorkspace() (or otherwise validated): user methods, faults,
    // built-in choices, the script time limit, the server limits (from the next start on) and
    // the client's own methods.
    void applyWorkspace(const Workspace& w);
    // The engine's part of a workspace: the mock state, server limits, script time limit and the
    // client's own methods.
    void saveTo(Workspace& w) const;

private:
    std::shared_ptr<MethodRegistry> m_registry;
    std::shared_ptr<TrafficBus> m_bus;
    std::shared_ptr<ScriptHost> m_scripts;
    std::unique_ptr<MockService> m_mocks;
    std::shared_ptr<MethodRegistry> m_clientRegistry;
    std::unique_ptr<MockService> m_clientMocks;
    std::unique_ptr<RpcServer> m_server;
};

} // namespace rpcbench
