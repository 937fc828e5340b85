#include "server/HttpRouter.h"

#include "dispatch/Dispatcher.h"
#include "server/ConnectionOutput.h"
#include "wire/HttpWriter.h"

#include <QJsonDocument>

namespace rpcbench {

HttpRouter::HttpRouter(ConnectionOutput& output, const Dispatcher& dispatcher)
    : m_output(output), m_dispatcher(dispatcher)
{}

std::optional<HttpRouter::Call> HttpRouter::route(const HttpRequest& request)
{
    const quint64 slot = m_replies.reserve();
    if (request.method == "POST")
        return Call{slot, request.keepAlive};
    if (request.method == "GET" && (request.target == "/" || request.target == "/openrpc.json")) {
        const QByteArray doc = QJsonDocument(m_dispatcher.openRpcDocument()).toJson(QJsonDocument::Indented);
        fill(slot, buildHttpResponse(200, doc, request.keepAlive), !request.keepAlive);
        return std::nullopt;
    }
    answerError(slot, request.method == "GET" ? 404 : 405, request.keepAlive);
    return std::nullopt;
}

void HttpRouter::answerError(quint64 slot, int status, bool keepAlive)
{
    const QString text =
        status == 404
            ? QStringLiteral("not found: GET / serves the OpenRPC document, POST calls methods")
            : QStringLiteral("method not allowed: use POST for calls, GET / for the OpenRPC document");
    const QByteArray body = Dispatcher::errorReply(Dialect::JsonRpc2, ErrorCode::InvalidRequest, text).bytes;
    const HttpHeaders extra = status == 405 ? HttpHeaders{{"Allow", "GET, POST"}} : HttpHeaders{};
    fill(slot, buildHttpResponse(status, body, keepAlive, "application/json", extra), !keepAlive);
}

void HttpRouter::reply(const Call& call, const QByteArray& body, int trickleMs)
{
    fill(call.slot, buildHttpResponse(200, body, call.keepAlive), !call.keepAlive, trickleMs);
}

void HttpRouter::fail(int httpStatus, const QByteArray& body)
{
    fill(m_replies.reserve(), buildHttpResponse(httpStatus, body, false), true);
}

void HttpRouter::fill(quint64 slot, QByteArray response, bool closeAfter, int trickleMs)
{
    if (m_replies.takeIfNext(slot)) { // no pipelining: straight out, without the queue's map
        m_output.write(response, trickleMs);
        if (closeAfter)
            m_output.closeAfterFlush();
        return;
    }
    m_replies.fill(slot, std::move(response), closeAfter);
    for (auto& ready : m_replies.takeReady()) {
        m_output.write(ready.bytes, trickleMs);
        trickleMs = 0; // only the faulted reply itself is slowed down
        if (ready.closeAfter) {
            m_output.closeAfterFlush();
            break;
        }
    }
}

} // namespace rpcbench
