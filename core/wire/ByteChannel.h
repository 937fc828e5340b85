#pragma once
// The byte layer under framing: what a connection reads from and writes to, whatever carries
// the bytes. Connections (server and client) hold a ByteChannel and never a socket, so a new
// transport is one new class here and no change above it.
//
// Contract, for every implementation:
// - Lives on one thread. read() and write() emit nothing; close() and abort() may emit closed()
//   from inside the call, open() may report a failure from inside it; every other signal comes
//   from the event loop.
// - readyRead() is emitted when new bytes (or a new message) can be read; a channel handed over
//   with bytes already waiting announces them once with a queued readyRead().
// - write() never blocks and never drops: what the transport does not take now is queued and
//   counted by bytesToWrite(); bytesWritten() reports queued bytes as they leave. Bytes sent at
//   once (the TCP fast path) produce no bytesWritten().
// - errorOccurred(reason) reports a failure (refused, reset, handshake, process crash) and is
//   never emitted for an orderly end by the peer. closed(reason) is emitted exactly once when
//   the channel stops being open, whatever the cause, after any errorOccurred(). Bytes that
//   arrived before the end can still be read from a closed() handler.
//
// The transports, and how each implements it (wire/ChannelFactory picks one for a client):
// - TCP (TcpChannel): QTcpSocket. write() sends with one send() straight
//   from the caller's bytes when Qt's buffer is empty (SocketWriter), the server's hot path.
//   closeWrite() is shutdown(SHUT_WR).
// - TLS: QSslSocket in a TlsChannel shaped like TcpChannel. open() is connectToHostEncrypted(),
//   connected() comes on encrypted(), not on the TCP connect; sslErrors()/handshake failures
//   become errorOccurred(). No send() fast path (bytes must be encrypted by Qt): write() is
//   QSslSocket::write. closeWrite() has no TLS-level half-close in Qt: disconnectFromHost()
//   (close_notify, then close) once bytesToWrite() is 0. peerDescription() as for TCP.
// - Unix-domain sockets: QLocalSocket in a LocalChannel. open() is connectToServer(name);
//   the send() fast path works on its socketDescriptor() exactly as for TCP (SocketWriter
//   would take the descriptor and the QIODevice); closeWrite() is shutdown(SHUT_WR), which
//   AF_UNIX supports. setReadBufferSize() is QLocalSocket's. peerDescription() is
//   "unix:<path>" (plus the peer's pid from SO_PEERCRED on the server side).
// - A child process's stdin/stdout: QProcess in a ProcessChannel. open() is start(); connected()
//   on started(). read()/bytesAvailable() use standard output (standard error is forwarded to
//   the log, never framed); write() is QProcess::write (no descriptor to send() on).
//   closeWrite() is closeWriteChannel(), close() closes stdin and terminates after a grace
//   period, abort() is kill(). closed() comes on finished() with "process 'x' exited with
//   code N: <stderr tail>" or "... was killed by signal N"; errorOccurred() on a failure to
//   start, a non-zero exit or a signal, unless we asked it to end (close()/abort()).
//   QProcess reads greedily, so setReadBufferSize() cannot push back on the child:
//   back-pressure stops at our queue.
// - WebSocket: QWebSocket in a WebSocketChannel; preservesMessageBoundaries() is true. Every
//   write() is one text message (JSON-RPC over WebSocket is text); textMessageReceived and
//   binaryMessageReceived append whole messages to a queue that readMessage() takes from
//   (bytesAvailable() is the queued total, read() serves the queue as a stream for callers that
//   do not care). The connection skips its stream framer: one message is one frame, and an
//   over-limit message is rejected on its size alone. closeWrite() is close(CloseCodeNormal),
//   whose closing handshake is the linger; open() is open(url) and connected() comes after the
//   upgrade.

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>

namespace rpcbench {

class ByteChannel : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // True when the transport keeps the peer's message boundaries (WebSocket): each write() goes
    // out as one message and readMessage() returns one whole message, so the connection needs
    // no stream framer. False for byte streams (TCP, TLS, Unix sockets, pipes).
    virtual bool preservesMessageBoundaries() const { return false; }

    // Client channels: starts connecting to the target the channel was made for; connected()
    // follows, or errorOccurred() and closed(). Channels a server accepted are open from the
    // start and ignore it.
    virtual void open() {}
    // Connected and usable: writes can go out.
    virtual bool isOpen() const = 0;

    // Received bytes not read yet.
    virtual qint64 bytesAvailable() const = 0;
    // Copies up to maxSize received bytes into `data`; returns the count (0 when none, -1 when
    // the channel cannot be read).
    virtual qint64 read(char* data, qint64 maxSize) = 0;
    virtual QByteArray readAll();
    // Message channels: the oldest whole message not read yet (empty when none). Stream
    // channels have no messages and return an empty array.
    virtual QByteArray readMessage() { return {}; }
    // Drops up to maxSize received bytes unread; returns how many were dropped.
    virtual qint64 skip(qint64 maxSize) = 0;
    // Caps what the channel buffers for us beyond what we have read (0 = no cap). Past it the
    // transport's own flow control (TCP window, pipe buffer) holds the peer back: back-pressure
    // without unbounded memory.
    virtual void setReadBufferSize(qint64 size) = 0;

    // Sends or queues the bytes, in order (see the contract above).
    virtual void write(QByteArrayView bytes) = 0;
    // Bytes queued by write() that the transport has not taken yet.
    virtual qint64 bytesToWrite() const = 0;

    // Ends our direction only: the peer reads end-of-stream, we can still read what it sends.
    // Call once bytesToWrite() is 0 (bytes still queued would be lost).
    virtual void closeWrite() = 0;
    // Orderly close: queued bytes are sent first. closed() follows (possibly from inside this
    // call, when nothing is left to send).
    virtual void close() = 0;
    // Ends the channel at once; queued bytes are dropped. Emits closed() from inside the call
    // when the channel was open.
    virtual void abort() = 0;

    // Who is on the other end, for logs: "127.0.0.1:5000", "[::1]:5000", "unix:/run/x.sock".
    virtual QString peerDescription() const = 0;

signals:
    void connected(); // client channels: the channel became open
    void readyRead();
    void bytesWritten(qint64 bytes);
    void errorOccurred(const QString& reason); // one readable line: "connection refused"
    void closed(const QString& reason);        // emitted once; see the contract above
    // Process channels: one line the child wrote to its standard error (without the newline).
    // Never framed; the client logs it as its own kind of traffic row.
    void stderrLine(const QByteArray& line);
};

} // namespace rpcbench
