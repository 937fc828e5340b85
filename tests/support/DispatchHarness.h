#pragma once
// In-memory driver for Dispatcher tests: sends one message, records the reply (or that
// none came) and lets tests compare JSON structurally.

#include "dispatch/Dispatcher.h"

#include <QJsonDocument>
#include <QObject>
#include <QTest>

#include <memory>

namespace rpcbench::test {

struct Outcome
{
    int calls = 0;            // how often done() ran (must end up exactly 1)
    bool synchronous = false; // done() ran before handle() returned
    bool handleReturned = false;
    DispatchReply reply;
    MessageSummary request;
    QThread* thread = nullptr; // thread done() ran on
};

class DispatchHarness
{
public:
    explicit DispatchHarness(std::shared_ptr<MethodRegistry> registry, int timeoutMs = 60'000,
                             int maxDepth = 512)
        : m_registry(std::move(registry)), m_dispatcher(m_registry, timeoutMs, maxDepth)
    {}

    // Hands `message` to the dispatcher; the outcome fills in when done() runs.
    std::shared_ptr<Outcome> send(const QByteArray& message, QObject* context = nullptr)
    {
        auto out = std::make_shared<Outcome>();
        m_dispatcher.handle(
            message, context ? context : &m_context,
            [out](DispatchReply reply) {
                ++out->calls;
                out->synchronous = !out->handleReturned;
                out->reply = std::move(reply);
                out->thread = QThread::currentThread();
            },
            &out->request);
        out->handleReturned = true;
        return out;
    }

    Dispatcher& dispatcher() { return m_dispatcher; }
    MethodRegistry& registry() { return *m_registry; }
    QObject& context() { return m_context; }

private:
    std::shared_ptr<MethodRegistry> m_registry;
    Dispatcher m_dispatcher;
    QObject m_context;
};

// Parses JSON for structural comparison (QJsonDocument compares values, not bytes).
inline QJsonDocument parsed(const QByteArray& json)
{
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.constData());
    return doc;
}

} // namespace rpcbench::test
