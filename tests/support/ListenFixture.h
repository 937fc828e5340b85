#pragma once
// Test helper for the server's listeners and the client transports: an in-process RpcServer
// with the demo service, started on any list of listen URLs, and a one-call client.

#include "client/RpcClient.h"
#include "dispatch/DemoService.h"
#include "dispatch/Introspection.h"
#include "server/ListenSpec.h"
#include "server/RpcServer.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <memory>

struct ListenFixture
{
    explicit ListenFixture(rpcbench::ServerLimits limits = {})
        : registry(std::make_shared<rpcbench::MethodRegistry>()),
          bus(std::make_shared<rpcbench::TrafficBus>()),
          server(std::make_unique<rpcbench::RpcServer>(registry, bus, limits))
    {
        rpcbench::registerDemoService(*registry);
        rpcbench::registerIntrospection(*registry);
    }

    // A spec from a URL, with a certificate and key for TLS URLs; an invalid spec (empty
    // endpoint) when the URL does not parse.
    static rpcbench::ListenSpec spec(const QString& url, const QString& cert = {}, const QString& key = {})
    {
        QString error;
        auto s = rpcbench::ListenSpec::parse(url, &error);
        if (!s)
            return {};
        s->tlsCertificate = cert;
        s->tlsKey = key;
        return *s;
    }

    bool start(const QList<rpcbench::ListenSpec>& listens) { return server->start(listens); }

    // The i-th bound endpoint, as a client endpoint.
    rpcbench::Endpoint endpoint(int i = 0) const { return server->listeningEndpoints().value(i); }

    std::shared_ptr<rpcbench::MethodRegistry> registry;
    std::shared_ptr<rpcbench::TrafficBus> bus;
    std::unique_ptr<rpcbench::RpcServer> server;
};

// Calls `echo` with `value` on `endpoint` from a fresh client and waits for the outcome.
inline rpcbench::CallResult callEcho(const rpcbench::Endpoint& endpoint,
                                     const QString& value = QStringLiteral("hi"), int timeoutMs = 5000)
{
    rpcbench::RpcClient client(endpoint, rpcbench::Dialect::JsonRpc2);
    QSignalSpy finished(&client, &rpcbench::RpcClient::finished);
    client.call(QStringLiteral("echo"), QJsonArray{value}, timeoutMs);
    if (!finished.wait(timeoutMs + 2000) && finished.isEmpty()) {
        rpcbench::CallResult none;
        none.transportError = QStringLiteral("no finished() signal");
        return none;
    }
    return finished.first().at(1).value<rpcbench::CallResult>();
}
