#pragma once
// The other end of the connection a call came in on, for handlers that send it messages of
// their own later: a mock subscription's events, a script that notifies its caller. The server
// makes the connection's link current around each handler's start (like CallParams); a handler
// keeps the shared pointer, which stays safe to use after the connection is gone: notify() then
// returns false and nothing is sent.
//
// JSON-RPC is symmetric: whoever serves calls may also send the caller notifications and
// requests (docs/PROTOCOL.md, "Both directions").

#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <memory>

namespace rpcbench {

// Always owned by a shared_ptr (current() hands out shared pointers to it).
class PeerLink : public std::enable_shared_from_this<PeerLink>
{
public:
    virtual ~PeerLink() = default;

    // The connection's id in the traffic log ("#N"); unique in the process.
    virtual quint64 connectionId() const = 0;
    // Still open and able to carry a message we start (an HTTP connection only while an event
    // stream is open on it).
    virtual bool isOpen() const = 0;
    // Sends a JSON-RPC 2.0 notification to the peer, logged as server traffic. Any thread.
    // False (nothing sent) when the connection is gone or cannot carry pushes.
    virtual bool notify(const QString& method, const QJsonValue& params) = 0;
    // Sends one message exactly as given (a proxy forwarding what the upstream server sent:
    // its requests, notifications, replies nobody waits for), framed for the connection and
    // logged with `summary`. Any thread. False when the connection is gone or cannot carry it.
    virtual bool send(const QByteArray& json, const MessageSummary& summary) = 0;
    // Ends the connection once what is already queued for it has been written (a proxy whose
    // upstream closed). Any thread.
    virtual void close() = 0;
    // Runs `tick` on the connection's thread every intervalMs until it returns false, cancel()
    // is called or the connection ends. Any thread. Returns a handle for cancel() (0 when the
    // connection is gone).
    virtual quint64 every(int intervalMs, std::function<bool()> tick) = 0;
    virtual void cancel(quint64 handle) = 0;

    // The link of the call whose handler is starting on this thread; null outside a handler's
    // start or when the call did not come from a connection (a unit test, the client's own
    // methods answering a server).
    static std::shared_ptr<PeerLink> current();

    // Makes `link` current on this thread for its lifetime; nests. The link must outlive the
    // scope. It keeps a plain pointer: the server sets one around every message it dispatches,
    // and only handlers that ask for current() pay for a shared pointer.
    class Scope
    {
    public:
        explicit Scope(const std::shared_ptr<PeerLink>& link) : Scope(link.get()) {}
        explicit Scope(PeerLink* link);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        PeerLink* m_previous;
    };
};

} // namespace rpcbench
