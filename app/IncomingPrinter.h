#pragma once
// Prints the requests and notifications a server sends as JSON Lines: one compact JSON message
// per line (a batch from the server: one line per element), flushed at once, so `| jq` and
// `| head -n 3` work while the connection stays open. `rpcbench listen` prints them on stdout,
// `rpcbench call --listen` on stderr.

#include <QByteArray>
#include <QList>
#include <QObject>

#include <cstdio>

namespace rpcbench {
class RpcClient;
}

class IncomingPrinter : public QObject
{
    Q_OBJECT
public:
    // maxLines <= 0: no limit.
    IncomingPrinter(rpcbench::RpcClient* client, std::FILE* out, qint64 maxLines = 0,
                    QObject* parent = nullptr);

    qint64 printed() const { return m_printed; }

    // The messages of one incoming payload, each as one line of compact JSON (a payload that is
    // not JSON, which the client never reports, is passed through as one line).
    static QList<QByteArray> lines(const QByteArray& payload);

signals:
    void limitReached(); // maxLines lines printed; nothing more is printed

private:
    void onIncoming(const QByteArray& payload);

    std::FILE* m_out;
    qint64 m_maxLines;
    qint64 m_printed = 0;
};
