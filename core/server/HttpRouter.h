#pragma once
// HTTP/1.1 on one server connection: what each request is answered with, and in which order.
// POST bodies are calls (the connection dispatches them and hands the reply back here); GET /
// and GET /openrpc.json serve the OpenRPC document; any other GET is 404, any other method
// 405. Pipelined requests are answered strictly in request order (HttpReplyQueue) however the
// handlers finish; a request without keep-alive closes the connection after its reply.

#include "wire/HttpReplyQueue.h"
#include "wire/HttpTypes.h"

#include <QByteArray>

#include <optional>

namespace rpcbench {

class ConnectionOutput;
class Dispatcher;

class HttpRouter
{
public:
    HttpRouter(ConnectionOutput& output, const Dispatcher& dispatcher);

    // A POST to dispatch; its reply goes to reply() with these values.
    struct Call
    {
        quint64 slot = 0;
        bool keepAlive = true;
    };
    // Takes the request's place in the reply order. Answers everything but calls itself and
    // returns nullopt; a POST comes back as the call to dispatch (its body is request.body).
    std::optional<Call> route(const HttpRequest& request);
    // A call's reply: 200 with the JSON-RPC reply, or with an empty body for notifications
    // (some clients reject 204). trickleMs slows this reply only (fault injection).
    void reply(const Call& call, const QByteArray& body, int trickleMs);
    // A framing or limit error: answered after every earlier reply, then the connection closes.
    void fail(int httpStatus, const QByteArray& body);

private:
    void answerError(quint64 slot, int status, bool keepAlive);
    void fill(quint64 slot, QByteArray response, bool closeAfter, int trickleMs = 0);

    ConnectionOutput& m_output;
    const Dispatcher& m_dispatcher;
    HttpReplyQueue m_replies;
};

} // namespace rpcbench
