#pragma once
// The handshake one load connection performs before its load starts (`rpcbench bench --init`):
// the steps are sent in order, each call awaited (JSON-RPC 2.0, ids 1, 2, ...), so a language
// or MCP server is initialised on every connection as a real client would do it. Requests the
// server sends meanwhile are answered with -32601 (stream framings) so it never waits on us;
// its notifications are skipped.
//
// The load layer sits below the client: templates in params ("{{init[0].result.x}}") are
// filled by the resolver the caller passes (the command line passes InitSequence::resolve).

#include "wire/Endpoint.h"

#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace rpcbench {

class ByteChannel;
class Framer;

struct LoadInitStep
{
    QString method;
    QJsonValue params = QJsonValue::Undefined;
    bool notification = false;
    int timeoutMs = 30'000; // <= 0: no timeout
};

// params with every template resolved against the results before it (results[i]: step i's
// result, Undefined for notifications; their count is the item's index); nullopt with *error
// naming the item and the problem ("init[1].params: {{init[0].result.x}}: ...").
using LoadInitResolver = std::function<std::optional<QJsonValue>(
    const QJsonValue& params, const QList<QJsonValue>& results, QString* error)>;

class LoadHandshake : public QObject
{
    Q_OBJECT
public:
    // `channel` is open; it stays the caller's. Nothing happens before start().
    LoadHandshake(ByteChannel* channel, const Endpoint& target, QList<LoadInitStep> steps,
                  LoadInitResolver resolver, QObject* parent = nullptr);
    ~LoadHandshake() override;

    void start();

signals:
    // error empty: every step succeeded. Emitted once; the handshake then reads nothing more.
    void finished(const QString& error);

private:
    class Sink;

    void sendNext();
    void onReadyRead();
    void onMessage(QByteArrayView payload, int httpStatus);
    void answerServerRequest(const QJsonValue& id);
    void stepDone(const QJsonValue& result);
    void finish(const QString& error);
    QString stepName() const;

    ByteChannel* m_channel;
    Endpoint m_target;
    QList<LoadInitStep> m_steps;
    LoadInitResolver m_resolver;
    std::unique_ptr<Framer> m_framer; // null on message channels (WebSocket)
    std::unique_ptr<Sink> m_sink;
    QList<QJsonValue> m_results;
    qsizetype m_current = -1;
    bool m_done = false;
    QTimer m_timeout;
};

} // namespace rpcbench
