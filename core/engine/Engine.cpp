#include "engine/Engine.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "mock/MockService.h"
#include "script/ScriptHost.h"
#include "server/RpcServer.h"
#include "traffic/TrafficBus.h"

namespace rpcbench {

Engine::Engine(const Options& options)
    : m_registry(std::make_shared<MethodRegistry>()), m_bus(std::make_shared<TrafficBus>()),
      m_scripts(options.scripting ? std::make_shared<ScriptHost>() : nullptr),
      m_clientRegistry(std::make_shared<MethodRegistry>())
{
    registerDemoService(*m_registry); // introspection included
    m_mocks = std::make_unique<MockService>(m_registry, m_scripts);
    m_clientMocks = std::make_unique<MockService>(m_clientRegistry, m_scripts);
    m_server = std::make_unique<RpcServer>(m_registry, m_bus, options.limits);
}

Engine::~Engine()
{
    // Calls in flight may still reach mocks and scripts: the server goes first.
    m_server->stop();
}

std::optional<Workspace> Engine::readWorkspace(const QString& path, QString* error) const
{
    return m_mocks->readWorkspace(path, error);
}

void Engine::applyWorkspace(const Workspace& w)
{
    m_mocks->apply(w);
    m_clientMocks->replaceMethods(w.client.methods);
    if (m_scripts)
        m_scripts->setTimeLimitMs(w.server.scriptTimeLimitMs);
    m_server->setLimits(w.server.limits);
}

void Engine::saveTo(Workspace& w) const
{
    m_mocks->saveTo(w);
    w.client.methods = m_clientMocks->methods();
    w.server.limits = m_server->limits();
    w.server.scriptTimeLimitMs = m_scripts ? m_scripts->timeLimitMs() : ScriptHost::defaultTimeLimitMs;
}

} // namespace rpcbench
