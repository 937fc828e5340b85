#pragma once
// A ByteChannel over TLS (QSslSocket).

#include "wire/ByteChannel.h"
#include "wire/Endpoint.h"

namespace rpcbench {

class TlsChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Client side: connects to (or launches) the endpoint on open().
    TlsChannel(const Endpoint& endpoint, QObject* parent = nullptr);
    ~TlsChannel() override;

    void open() override;
    bool isOpen() const override { return false; }
    qint64 bytesAvailable() const override { return 0; }
    qint64 read(char*, qint64) override { return -1; }
    qint64 skip(qint64) override { return 0; }
    void setReadBufferSize(qint64) override {}
    void write(QByteArrayView) override {}
    qint64 bytesToWrite() const override { return 0; }
    void closeWrite() override {}
    void close() override;
    void abort() override;
    QString peerDescription() const override;

private:
    Endpoint m_endpoint;
    bool m_closed = false;
};

} // namespace rpcbench
