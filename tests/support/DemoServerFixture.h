#pragma once
// Test helper: an in-process RpcServer with the demo service on 127.0.0.1, any free port.

#include "dispatch/DemoService.h"
#include "dispatch/Introspection.h"
#include "server/RpcServer.h"

#include <memory>

struct DemoServerFixture
{
    explicit DemoServerFixture(rpcbench::ServerLimits limits = {})
        : registry(std::make_shared<rpcbench::MethodRegistry>()),
          bus(std::make_shared<rpcbench::TrafficBus>()),
          server(std::make_unique<rpcbench::RpcServer>(registry, bus, limits))
    {
        rpcbench::registerDemoService(*registry);
        rpcbench::registerIntrospection(*registry);
    }

    bool start() { return server->start(QHostAddress::LocalHost, 0); }
    quint16 port() const { return server->port(); }

    std::shared_ptr<rpcbench::MethodRegistry> registry;
    std::shared_ptr<rpcbench::TrafficBus> bus;
    std::unique_ptr<rpcbench::RpcServer> server;
};
