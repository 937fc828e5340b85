#pragma once
// RFC 6455 data framing, the server's reading side after a WebSocket upgrade (and the client's,
// for completeness: a WebSocketChannel keeps message boundaries and needs no framer).
//
// Frames in: 7-, 16- and 64-bit payload lengths, the client's mask, fragmented messages
// (continuation frames) reassembled into one message. Text and binary messages are both
// delivered as one Frame each (JSON-RPC over WebSocket is text; binary is taken as the same
// bytes). The size limit applies to the reassembled message and is checked from the frame
// headers, before the payload arrives.
//
// Control frames are answered through takeInterimReply(): a ping queues its pong; a close
// queues the echoed close frame and ends the stream: feed() returns false with
// FrameError::Kind::Closed, which is not a fault (the connection writes the echo and closes
// without answering anything else). A protocol error also queues the close frame the peer must
// get (1002 protocol error, 1009 message too big, with the reason) before feed() fails, so the
// connection only has to write the interim reply and close.
//
// Not checked: UTF-8 validity of text messages (the JSON parser answers bad text anyway).

#include "wire/Framer.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace rpcbench {

class WebSocketFramer final : public Framer
{
public:
    enum class Role : quint8 {
        Server, // reads client frames: each must be masked
        Client, // reads server frames: none may be masked
    };
    enum Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA
    };
    enum CloseCode : quint16 {
        CloseNormal = 1000,
        CloseGoingAway = 1001,
        CloseProtocolError = 1002,
        ClosePolicyViolation = 1008,
        CloseTooBig = 1009,
    };

    explicit WebSocketFramer(qsizetype maxMessageBytes = 16 * 1024 * 1024, Role role = Role::Server);

    bool feed(QByteArrayView data, FrameSink& sink) override;
    bool hasPartial() const override;
    qsizetype bufferedBytes() const override;
    void reset() override;
    QByteArray takeInterimReply() override;

    // Server → client frames (unmasked): one text message, a close frame (reason cut to the
    // 123 bytes a control frame has room for).
    static QByteArray frameText(QByteArrayView payload);
    static QByteArray frameClose(quint16 code, QByteArrayView reason = {});
    // Any single frame; with a mask (client → server) the payload is masked with it.
    static QByteArray frame(quint8 opcode, QByteArrayView payload, bool fin = true,
                            std::optional<quint32> mask = std::nullopt);

private:
    // Parses one frame at m_buf[m_pos]; returns false when it is incomplete (more bytes needed)
    // or the stream ended (m_stopped).
    bool nextFrame(FrameSink& sink);
    void control(quint8 opcode, QByteArray payload);
    bool failWith(FrameError::Kind kind, quint16 closeCode, const QString& reason);

    qsizetype m_maxMessage;
    Role m_role;
    QByteArray m_buf;          // unconsumed bytes from m_pos on
    qsizetype m_pos = 0;       // start of the next frame in m_buf
    QByteArray m_message;      // fragments of a message still being received
    bool m_fragmented = false; // inside a fragmented message (awaiting continuations)
    bool m_stopped = false;    // close received or protocol error: nothing more is read
    QByteArray m_interim;      // pongs and close frames waiting to be written
};

} // namespace rpcbench
