#include "server/HttpRouter.h"

#include "dispatch/Dispatcher.h"
#include "server/ConnectionOutput.h"
#include "server/HttpSessions.h"
#include "util/Log.h"
#include "wire/HttpWriter.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rpcbench {

namespace {

constexpr QByteArrayView kSessionHeader = "Mcp-Session-Id";

// Where a media type appears in an Accept header (-1 when absent). Only the order matters to
// us, not q-values: MCP clients list both types.
qsizetype acceptPosition(const QByteArray& accept, QByteArrayView type)
{
    return accept.indexOf(type);
}

// An MCP initialize request (possibly inside a batch). The cheap scan runs first so ordinary
// calls never pay for a JSON parse.
bool isInitialize(const QByteArray& body)
{
    if (!body.contains("\"initialize\""))
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    return doc.isObject() &&
           doc.object().value(QLatin1String("method")).toString() == QLatin1String("initialize");
}

} // namespace

HttpRouter::HttpRouter(ConnectionOutput& output, const Dispatcher& dispatcher, HttpSessions* sessions)
    : m_output(output), m_dispatcher(dispatcher), m_sessions(sessions)
{}

std::optional<HttpRouter::Call> HttpRouter::route(const HttpRequest& request)
{
    if (m_eventStream) { // the response body is the stream: there is no room for another reply
        qCDebug(lcServer).noquote() << "dropped" << request.method << request.target
                                    << "sent on a connection that holds an event stream";
        return std::nullopt;
    }
    const quint64 slot = m_replies.reserve();
    if (request.method == "POST") {
        if (!checkSession(slot, request))
            return std::nullopt;
        Call call{slot, request.keepAlive};
        const QByteArray accept = httpHeader(request.headers, "Accept");
        const qsizetype sse = acceptPosition(accept, "text/event-stream");
        if (sse >= 0) {
            const qsizetype json = acceptPosition(accept, "application/json");
            call.mcp = true;
            call.eventStream = json < 0 || sse < json;
        }
        call.initialize = m_sessions && isInitialize(request.body);
        return call;
    }
    if (request.method == "DELETE" && m_sessions && !httpHeader(request.headers, kSessionHeader).isEmpty()) {
        endSession(slot, request);
        return std::nullopt;
    }
    if (request.method == "GET" &&
        acceptPosition(httpHeader(request.headers, "Accept"), "text/event-stream") >= 0) {
        if (checkSession(slot, request))
            openEventStream(slot, request);
        return std::nullopt;
    }
    if (request.method == "GET" && (request.target == "/" || request.target == "/openrpc.json")) {
        const QByteArray doc = QJsonDocument(m_dispatcher.openRpcDocument()).toJson(QJsonDocument::Indented);
        fill(slot, buildHttpResponse(200, doc, request.keepAlive), !request.keepAlive);
        return std::nullopt;
    }
    answerError(slot, request.method == "GET" ? 404 : 405, request.keepAlive);
    return std::nullopt;
}

// A request naming a session we do not know (never issued, or ended by DELETE) gets 404, which
// tells an MCP client to initialize again.
bool HttpRouter::checkSession(quint64 slot, const HttpRequest& request)
{
    const QByteArray id = httpHeader(request.headers, kSessionHeader);
    m_lastSession = id; // where pushes for this client's calls go (its session's event stream)
    if (!m_sessions || id.isEmpty() || m_sessions->contains(id))
        return true;
    answerError(slot, 404, request.keepAlive, QStringLiteral("unknown or ended session: initialize again"));
    return false;
}

void HttpRouter::endSession(quint64 slot, const HttpRequest& request)
{
    if (!m_sessions->remove(httpHeader(request.headers, kSessionHeader))) {
        answerError(slot, 404, request.keepAlive, QStringLiteral("unknown or ended session"));
        return;
    }
    fill(slot, buildHttpResponse(200, {}, request.keepAlive), !request.keepAlive);
}

void HttpRouter::answerError(quint64 slot, int status, bool keepAlive, const QString& given)
{
    QString text = given;
    if (text.isEmpty())
        text = status == 404
                   ? QStringLiteral("not found: GET / serves the OpenRPC document, POST calls methods")
                   : QStringLiteral("method not allowed: use POST for calls, GET / for the OpenRPC document");
    const QByteArray body = Dispatcher::errorReply(Dialect::JsonRpc2, ErrorCode::InvalidRequest, text).bytes;
    const HttpHeaders extra = status == 405 ? HttpHeaders{{"Allow", "GET, POST"}} : HttpHeaders{};
    fill(slot, buildHttpResponse(status, body, keepAlive, "application/json", extra), !keepAlive);
}

void HttpRouter::reply(const Call& call, const QByteArray& body, int trickleMs)
{
    if (!call.mcp && !call.initialize) { // plain JSON-RPC over HTTP: the benchmarked path
        fill(call.slot, buildHttpResponse(200, body, call.keepAlive), !call.keepAlive, trickleMs);
        return;
    }
    HttpHeaders extra;
    if (call.initialize && !body.isEmpty())
        extra.append({kSessionHeader.toByteArray(), m_sessions->create()});
    QByteArray response;
    if (body.isEmpty())
        response = buildHttpResponse(call.mcp ? 202 : 200, {}, call.keepAlive, {}, extra);
    else if (call.eventStream)
        response = buildHttpResponse(200, sseEvent(body), call.keepAlive, "text/event-stream",
                                     extra << qMakePair(QByteArray("Cache-Control"), QByteArray("no-cache")));
    else
        response = buildHttpResponse(200, body, call.keepAlive, "application/json", extra);
    fill(call.slot, std::move(response), !call.keepAlive, trickleMs);
}

QByteArray HttpRouter::sseEvent(const QByteArray& json)
{
    QByteArray out = QByteArrayLiteral("event: message\n");
    for (const QByteArray& line : json.split('\n')) {
        out += "data: ";
        out += line.endsWith('\r') ? line.chopped(1) : line;
        out += '\n';
    }
    out += '\n';
    return out;
}

// The stream's head goes out at once, without a length: it is chunked and ends with the
// connection. It must be the next reply: behind unanswered pipelined requests it could not start.
void HttpRouter::openEventStream(quint64 slot, const HttpRequest& request)
{
    if (!m_replies.takeIfNext(slot)) {
        fill(slot,
             buildHttpResponse(409,
                               Dispatcher::errorReply(Dialect::JsonRpc2, ErrorCode::InvalidRequest,
                                                      QStringLiteral("the event stream cannot open "
                                                                     "behind unanswered requests: "
                                                                     "use a connection of its own"))
                                   .bytes,
                               false),
             true);
        return;
    }
    m_eventStream = true;
    m_streamSession = httpHeader(request.headers, kSessionHeader);
    m_output.write(QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                     "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
                                     "Connection: keep-alive\r\n\r\n"));
}

void HttpRouter::pushEvent(const QByteArray& json)
{
    if (m_eventStream)
        writeChunk(sseEvent(json));
}

void HttpRouter::keepAliveComment()
{
    if (m_eventStream)
        writeChunk(QByteArrayLiteral(": keep-alive\n\n"));
}

void HttpRouter::writeChunk(const QByteArray& data)
{
    m_output.write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void HttpRouter::upgrade(const QByteArray& response, bool accepted)
{
    fill(m_replies.reserve(), response, !accepted);
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
