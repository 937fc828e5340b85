#pragma once
// LSP-style framing: a header block ("Content-Length: N\r\n", optional other headers such as
// Content-Type, then "\r\n") followed by exactly N bytes of payload. Header names are
// case-insensitive; a bare "\n" line ending is tolerated.

#include "wire/Framer.h"
#include "wire/TailBuffer.h"

#include <QByteArray>
#include <QByteArrayView>

namespace rpcbench {

class LspFramer final : public Framer
{
public:
    explicit LspFramer(qsizetype maxMessageBytes = 16 * 1024 * 1024, qsizetype maxHeaderBytes = 64 * 1024);

    // Payloads go to the sink without a copy: they view the fed bytes, or the framer's buffer
    // for a message that spanned feeds. Errors: BadHeader (a header block that cannot be
    // parsed, has no valid Content-Length or is over the header limit), TooLarge (a
    // Content-Length over the message limit, reported before the body arrives).
    bool feed(QByteArrayView data, FrameSink& sink) override;
    bool hasPartial() const override;
    qsizetype bufferedBytes() const override;
    void reset() override;

    // "Content-Length: N\r\n\r\n" + payload
    static QByteArray frame(const QByteArray& payload);

private:
    // Parses the header block at the start of `msg` once its end is known: afterwards
    // m_bodyLength >= 0 when the body length is known, -1 when more bytes are needed.
    // False after fail().
    bool readHeader(QByteArrayView msg);
    bool failWith(FrameError::Kind kind, const QString& reason);

    qsizetype m_maxMessage;
    qsizetype m_maxHeader;
    TailBuffer m_buf;            // unconsumed bytes; always start at a message boundary
    qsizetype m_scanFrom = 0;    // where to resume searching for the header terminator
    qsizetype m_bodyLength = -1; // -1 while reading the header block
    qsizetype m_bodyStart = 0;   // header block size (offset of the body in the message)
};

} // namespace rpcbench
