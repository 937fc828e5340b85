#include "wire/SocketWriter.h"

#include <QTcpSocket>

#include <cerrno>

#include <sys/socket.h>

namespace rpcbench {

void SocketWriter::write(QTcpSocket* socket, QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    qsizetype sent = 0;
    const auto fd = int(socket->socketDescriptor());
    if (fd >= 0 && socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState) {
        ssize_t n = 0;
        do {
            n = ::send(fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        // On EAGAIN the kernel buffer is full; on a real error Qt's own write path below
        // meets it again and reports it through the socket's usual signals.
        if (n > 0)
            sent = qsizetype(n);
    }
    if (sent < bytes.size())
        socket->write(bytes.data() + sent, bytes.size() - sent);
}

} // namespace rpcbench
