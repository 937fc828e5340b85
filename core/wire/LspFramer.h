#pragma once
// LSP-style framing: a header block ("Content-Length: N\r\n", optional other headers such as
// Content-Type, then "\r\n") followed by exactly N bytes of payload. Header names are
// case-insensitive; a bare "\n" line ending is tolerated.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace rpcbench {

class LspFramer
{
public:
    enum class Status { Ok, TooLarge, BadHeader };

    explicit LspFramer(qsizetype maxMessageBytes = 16 * 1024 * 1024, qsizetype maxHeaderBytes = 64 * 1024);

    // Appends bytes; complete payloads are appended to `out`. After an error the framer is
    // unusable until reset(); errorString() says why.
    Status feed(QByteArrayView data, QList<QByteArray>& out);
    bool hasPartial() const;
    qsizetype bufferedBytes() const;
    QString errorString() const { return m_error; }
    void reset();

    // "Content-Length: N\r\n\r\n" + payload
    static QByteArray frame(const QByteArray& payload);

private:
    Status fail(Status status, const QString& error);
    // Parses the header block at the start of `msg` once its end is known. Returns Ok when the
    // body length is now known, Ok with m_bodyLength < 0 when more bytes are needed.
    Status readHeader(QByteArrayView msg);

    qsizetype m_maxMessage;
    qsizetype m_maxHeader;
    QByteArray m_buf;            // unconsumed bytes; always start at a message boundary
    qsizetype m_scanFrom = 0;    // where to resume searching for the header terminator
    qsizetype m_bodyLength = -1; // -1 while reading the header block
    qsizetype m_bodyStart = 0;   // header block size (offset of the body in the message)
    bool m_failed = false;
    Status m_failStatus = Status::Ok;
    QString m_error;
};

} // namespace rpcbench
