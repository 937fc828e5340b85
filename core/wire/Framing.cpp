#include "wire/Framing.h"

#include "wire/HttpRequestParser.h"
#include "wire/HttpResponseParser.h"
#include "wire/HttpWriter.h"
#include "wire/JsonStreamFramer.h"
#include "wire/LspFramer.h"
#include "wire/WebSocketFramer.h"

namespace rpcbench {

std::unique_ptr<Framer> makeRequestFramer(const FramingSpec& spec)
{
    switch (spec.transport) {
    case Transport::Http:
        return std::make_unique<HttpRequestParser>(spec.maxMessageBytes, spec.maxHeaderBytes);
    case Transport::Lsp:
        return std::make_unique<LspFramer>(spec.maxMessageBytes, spec.maxHeaderBytes);
    case Transport::WebSocket:
        return std::make_unique<WebSocketFramer>(spec.maxMessageBytes, WebSocketFramer::Role::Server);
    case Transport::JsonStream:
        break;
    }
    return std::make_unique<JsonStreamFramer>(spec.maxMessageBytes, spec.maxJsonDepth);
}

std::unique_ptr<Framer> makeReplyFramer(const FramingSpec& spec)
{
    switch (spec.transport) {
    case Transport::Http:
        // Response heads are bounded generously: the server is whatever the user points us at.
        return std::make_unique<HttpResponseParser>(
            spec.maxMessageBytes, qMax(spec.maxHeaderBytes, HttpResponseParser::kMaxHeadBytes));
    case Transport::Lsp:
        return std::make_unique<LspFramer>(spec.maxMessageBytes, spec.maxHeaderBytes);
    case Transport::WebSocket:
        // Server frames, unmasked (a WebSocketChannel keeps message boundaries and needs none).
        return std::make_unique<WebSocketFramer>(spec.maxMessageBytes, WebSocketFramer::Role::Client);
    case Transport::JsonStream:
        break;
    }
    return std::make_unique<JsonStreamFramer>(spec.maxMessageBytes, spec.maxJsonDepth);
}

QByteArray frameRequest(const FramingSpec& spec, const QByteArray& json)
{
    if (spec.transport == Transport::Http)
        return buildHttpPost(spec.httpHost, spec.httpPath, json, spec.httpHeaders);
    return frameStreamReply(spec.transport, json);
}

QByteArray frameStreamReply(Transport transport, const QByteArray& json)
{
    switch (transport) {
    case Transport::Lsp:
        return LspFramer::frame(json);
    case Transport::WebSocket:
        return WebSocketFramer::frameText(json); // server → client: one unmasked text frame
    case Transport::JsonStream:
    case Transport::Http:
        break;
    }
    return JsonStreamFramer::frame(json);
}

} // namespace rpcbench
