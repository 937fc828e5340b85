#pragma once
// HTTP/1.1 on one server connection: what each request is answered with, and in which order.
// POST bodies are calls (the connection dispatches them and hands the reply back here); GET /
// and GET /openrpc.json serve the OpenRPC document; any other GET is 404, any other method
// 405. Pipelined requests are answered strictly in request order (HttpReplyQueue) however the
// handlers finish; a request without keep-alive closes the connection after its reply.
//
// MCP Streamable HTTP (server side):
// - A POST whose Accept header lists text/event-stream and not application/json, or lists it
//   first, is answered with `Content-Type: text/event-stream` carrying the reply as one event
//   (`event: message`, `data: <json>`). The stream has a Content-Length and ends with that
//   event: our handlers send nothing before their result, so there is nothing to stream yet.
// - A POST whose Accept lists text/event-stream (an MCP client) and holds only notifications or
//   responses is answered 202 Accepted without a body, as MCP requires; other clients keep the
//   plain 200 with an empty body.
// - With a session store: an `initialize` request's reply carries a new Mcp-Session-Id header;
//   a request with an unknown (or ended) session id gets 404; DELETE with a known id ends the
//   session (200). Requests without the header stay accepted (plain JSON-RPC clients).
// - GET with Accept: text/event-stream opens the stream of messages the server starts (MCP's
//   GET stream): 200 with a chunked text/event-stream body that stays open; every push is one
//   `event: message` event, a keep-alive comment goes out now and then. The connection then
//   carries nothing else: requests that follow on it are dropped (a client uses another
//   connection for its POSTs, and the replies to our requests come back as POSTs). A session
//   id sent with it must be known (404 otherwise); the stream belongs to that session.
// A WebSocket upgrade request never reaches route(): the connection answers it (upgrade()).

#include "wire/HttpReplyQueue.h"
#include "wire/HttpTypes.h"

#include <QByteArray>

#include <optional>

namespace rpcbench {

class ConnectionOutput;
class Dispatcher;
class HttpSessions;

class HttpRouter
{
public:
    // `sessions` (may be null: no Mcp-Session-Id handling) is shared by the server's connections.
    HttpRouter(ConnectionOutput& output, const Dispatcher& dispatcher, HttpSessions* sessions = nullptr);

    // A POST to dispatch; its reply goes to reply() with these values.
    struct Call
    {
        quint64 slot = 0;
        bool keepAlive = true;
        bool eventStream = false; // answer as text/event-stream
        bool mcp = false;         // the client accepts event streams: notifications get 202
        bool initialize = false;  // an MCP initialize: the reply opens a session
    };
    // Takes the request's place in the reply order. Answers everything but calls itself and
    // returns nullopt; a POST comes back as the call to dispatch (its body is request.body).
    std::optional<Call> route(const HttpRequest& request);
    // A call's reply: 200 with the JSON-RPC reply, or with an empty body for notifications
    // (some clients reject 204; 202 for MCP clients). trickleMs slows this reply only (fault
    // injection).
    void reply(const Call& call, const QByteArray& body, int trickleMs);
    // A WebSocket handshake's answer (101, or the refusal, after which the connection closes),
    // in its place in the reply order.
    void upgrade(const QByteArray& response, bool accepted);
    // A framing or limit error: answered after every earlier reply, then the connection closes.
    void fail(int httpStatus, const QByteArray& body);

    // The SSE body of one reply: `event: message`, one `data:` line per line of JSON, a blank line.
    static QByteArray sseEvent(const QByteArray& json);

    // The GET event stream (see above).
    bool eventStreamOpen() const { return m_eventStream; }
    // The session the stream was opened for (empty: none named).
    QByteArray eventStreamSession() const { return m_streamSession; }
    // The Mcp-Session-Id of the latest POST (empty: none).
    QByteArray lastSession() const { return m_lastSession; }
    // One message as an event on the open stream.
    void pushEvent(const QByteArray& json);
    // A comment line on the open stream, so proxies and clients see it alive.
    void keepAliveComment();

private:
    void answerError(quint64 slot, int status, bool keepAlive, const QString& text = {});
    bool checkSession(quint64 slot, const HttpRequest& request);
    void endSession(quint64 slot, const HttpRequest& request);
    void fill(quint64 slot, QByteArray response, bool closeAfter, int trickleMs = 0);
    void openEventStream(quint64 slot, const HttpRequest& request);
    void writeChunk(const QByteArray& data);

    ConnectionOutput& m_output;
    const Dispatcher& m_dispatcher;
    HttpSessions* m_sessions;
    HttpReplyQueue m_replies;
    bool m_eventStream = false;
    QByteArray m_streamSession;
    QByteArray m_lastSession;
};

} // namespace rpcbench
