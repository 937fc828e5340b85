#include "wire/WebSocketFramer.h"

#include <QtEndian>

#include <cstring>

namespace rpcbench {

namespace {

constexpr qsizetype kMaxControlPayload = 125;

QString closeText(quint16 code, QByteArrayView reason)
{
    QString text = QStringLiteral("closed by peer: code %1").arg(code);
    if (!reason.isEmpty())
        text += QStringLiteral(" reason '%1'").arg(QString::fromUtf8(reason));
    return text;
}

} // namespace

WebSocketFramer::WebSocketFramer(qsizetype maxMessageBytes, Role role)
    : m_maxMessage(maxMessageBytes), m_role(role)
{}

bool WebSocketFramer::feed(QByteArrayView data, FrameSink& sink)
{
    if (error().isError())
        return false;
    m_buf.append(data.data(), data.size());
    while (!m_stopped && nextFrame(sink)) {
    }
    if (m_pos > 0) {
        m_buf.remove(0, m_pos);
        m_pos = 0;
    }
    return !error().isError();
}

bool WebSocketFramer::nextFrame(FrameSink& sink)
{
    const auto* p = reinterpret_cast<const uchar*>(m_buf.constData()) + m_pos;
    const qsizetype avail = m_buf.size() - m_pos;
    if (avail < 2)
        return false;
    const bool fin = p[0] & 0x80;
    const quint8 opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    quint64 length = p[1] & 0x7F;
    if (p[0] & 0x70)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("reserved bits set (no extension was negotiated)"));
    const bool isControl = opcode & 0x8;
    if (opcode != Continuation && opcode != Text && opcode != Binary && opcode != Close && opcode != Ping &&
        opcode != Pong)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("unknown opcode 0x%1").arg(opcode, 0, 16));
    if (isControl && !fin)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("fragmented control frame"));
    if (isControl && length > kMaxControlPayload)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("control frame longer than 125 bytes"));
    if (masked != (m_role == Role::Server))
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        m_role == Role::Server ? QStringLiteral("unmasked frame from the client")
                                               : QStringLiteral("masked frame from the server"));
    qsizetype head = 2;
    if (length == 126) {
        if (avail < 4)
            return false;
        length = qFromBigEndian<quint16>(p + 2);
        head = 4;
    } else if (length == 127) {
        if (avail < 10)
            return false;
        length = qFromBigEndian<quint64>(p + 2);
        head = 10;
        if (length >> 63)
            return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                            QStringLiteral("64-bit payload length with the top bit set"));
    }
    // Checked from the header, before the payload arrives.
    if (!isControl && length > quint64(m_maxMessage - m_message.size()))
        return failWith(FrameError::Kind::TooLarge, CloseTooBig,
                        QStringLiteral("message exceeds the limit of %1 bytes").arg(m_maxMessage));
    if (opcode == Continuation && !m_fragmented)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("continuation frame without a message to continue"));
    if ((opcode == Text || opcode == Binary) && m_fragmented)
        return failWith(FrameError::Kind::Malformed, CloseProtocolError,
                        QStringLiteral("new message inside a fragmented message"));
    const qsizetype maskBytes = masked ? 4 : 0;
    if (quint64(avail - head - maskBytes) < length || avail < head + maskBytes)
        return false;

    // Unmasked in place: the bytes are ours and read only once.
    char* payload = m_buf.data() + m_pos + head + maskBytes;
    if (masked) {
        const uchar* key = p + head;
        for (quint64 i = 0; i < length; ++i)
            payload[i] = char(uchar(payload[i]) ^ key[i & 3]);
    }
    m_pos += head + maskBytes + qsizetype(length);
    const QByteArrayView bytes(payload, qsizetype(length));

    if (isControl) {
        control(opcode, bytes.toByteArray());
        return !m_stopped;
    }
    if (fin && !m_fragmented) { // the common case: one frame, one message, no copy
        Frame f;
        f.payload = bytes;
        sink.onFrame(f);
        return true;
    }
    m_message.append(bytes.data(), bytes.size());
    m_fragmented = !fin;
    if (fin) {
        Frame f;
        f.payload = m_message;
        sink.onFrame(f);
        m_message.clear();
    }
    return true;
}

void WebSocketFramer::control(quint8 opcode, QByteArray payload)
{
    if (opcode == Ping) {
        m_interim += frame(Pong, payload);
        return;
    }
    if (opcode != Close)
        return; // an unsolicited pong is allowed and means nothing
    if (payload.size() == 1) {
        failWith(FrameError::Kind::Malformed, CloseProtocolError,
                 QStringLiteral("close frame with a 1-byte body"));
        return;
    }
    const quint16 code = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 0;
    // The echo carries the peer's code (none when it sent none), as RFC 6455 5.5.1 suggests.
    m_interim += code ? frameClose(code) : frame(Close, {});
    m_stopped = true;
    fail(FrameError::Kind::Closed,
         code ? closeText(code, QByteArrayView(payload).sliced(2)) : QStringLiteral("closed by peer"));
}

bool WebSocketFramer::failWith(FrameError::Kind kind, quint16 closeCode, const QString& reason)
{
    m_interim += frameClose(closeCode, reason.toUtf8());
    m_stopped = true;
    return fail(kind, reason);
}

bool WebSocketFramer::hasPartial() const
{
    return !m_stopped && (m_buf.size() > m_pos || m_fragmented);
}

qsizetype WebSocketFramer::bufferedBytes() const
{
    return m_buf.size() - m_pos + m_message.size();
}

void WebSocketFramer::reset()
{
    m_buf.clear();
    m_pos = 0;
    m_message.clear();
    m_fragmented = false;
    m_stopped = false;
    m_interim.clear();
    clearError();
}

QByteArray WebSocketFramer::takeInterimReply()
{
    return std::exchange(m_interim, {});
}

QByteArray WebSocketFramer::frameText(QByteArrayView payload)
{
    return frame(Text, payload);
}

QByteArray WebSocketFramer::frameClose(quint16 code, QByteArrayView reason)
{
    QByteArray body(2, Qt::Uninitialized);
    qToBigEndian<quint16>(code, body.data());
    body.append(reason.first(qMin(reason.size(), kMaxControlPayload - 2)));
    return frame(Close, body);
}

QByteArray WebSocketFramer::frame(quint8 opcode, QByteArrayView payload, bool fin,
                                  std::optional<quint32> mask)
{
    const qsizetype n = payload.size();
    QByteArray out;
    out.reserve(14 + n);
    out.append(char((fin ? 0x80 : 0) | (opcode & 0x0F)));
    const char maskBit = mask ? char(0x80) : char(0);
    if (n < 126) {
        out.append(char(maskBit | char(n)));
    } else if (n <= 0xFFFF) {
        out.append(char(maskBit | 126));
        char len[2];
        qToBigEndian<quint16>(quint16(n), len);
        out.append(len, 2);
    } else {
        out.append(char(maskBit | 127));
        char len[8];
        qToBigEndian<quint64>(quint64(n), len);
        out.append(len, 8);
    }
    if (!mask) {
        out.append(payload.data(), n);
        return out;
    }
    char key[4];
    qToBigEndian<quint32>(*mask, key);
    out.append(key, 4);
    const qsizetype start = out.size();
    out.append(payload.data(), n);
    for (qsizetype i = 0; i < n; ++i)
        out[start + i] = char(out[start + i] ^ key[i & 3]);
    return out;
}

} // namespace rpcbench
