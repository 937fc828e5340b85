#pragma once
// MCP Streamable HTTP's GET event stream (`--sse`): a second connection to the same endpoint
// that sends `GET path` with "Accept: text/event-stream" (plus the user's headers and the
// session id) and passes every event the server sends on its own on, as one payload each.
// A server without such a stream answers 405: that is reported once on lcClient and the
// stream simply ends; calls on the main connection are not affected either way.

#include "wire/Endpoint.h"
#include "wire/HttpTypes.h"

#include <QObject>

#include <memory>

namespace rpcbench {

class ByteChannel;
class Framer;

class SseStream : public QObject
{
    Q_OBJECT
public:
    // `headers`: what every request of the endpoint carries (user headers, auth, session id).
    SseStream(const Endpoint& endpoint, const HttpHeaders& headers, QObject* parent = nullptr);
    ~SseStream() override;

    void open();

signals:
    // One event's data, as ClientConnection::received.
    void received(const QByteArray& payload, int httpStatus, const QByteArray& httpReason, qint64 readTimeUs);
    // The stream ended (or was refused: 405, another status, a failed connection); one line.
    void ended(const QString& reason);

private:
    void onConnected();
    void onReadyRead();
    void end(const QString& reason);

    Endpoint m_endpoint;
    HttpHeaders m_headers;
    ByteChannel* m_channel; // child
    std::unique_ptr<Framer> m_parser;
    bool m_done = false;
};

} // namespace rpcbench
