#pragma once
// Writes to a connected QTcpSocket with one send() straight from the caller's bytes when Qt's
// own write buffer is empty (the common case), and hands only what the kernel did not take
// to QTcpSocket::write. A plain QTcpSocket::write copies every reply into Qt's buffer, arms
// the write notifier, and sends on the next event-loop pass, whose bytesWritten signal then
// costs another pass: measurable per call at high call rates. Order is kept: once anything
// is buffered, everything after it is buffered too until Qt has sent it.

#include <QByteArrayView>

class QTcpSocket;

namespace rpcbench {

class SocketWriter
{
public:
    static void write(QTcpSocket* socket, QByteArrayView bytes);
};

} // namespace rpcbench
