#include "load/LoadHandshake.h"

#include "util/JsonText.h"
#include "wire/ByteChannel.h"
#include "wire/Framing.h"

#include <QJsonObject>

namespace rpcbench {

namespace {

FramingSpec framingFor(const Endpoint& target)
{
    FramingSpec spec;
    spec.transport = target.transport;
    spec.httpHost = target.authority().toUtf8();
    spec.httpPath = target.path.isEmpty() ? QByteArray("/") : target.path.toUtf8();
    spec.httpHeaders = target.options.requestHeaders();
    return spec;
}

QString errorText(const QJsonValue& error)
{
    const QJsonObject e = error.toObject();
    return QStringLiteral("error %1: %2")
        .arg(e.value(QLatin1String("code")).toInteger())
        .arg(e.value(QLatin1String("message")).toString());
}

} // namespace

class LoadHandshake::Sink : public FrameSink
{
public:
    explicit Sink(LoadHandshake* owner) : m_owner(owner) {}
    void onFrame(const Frame& frame) override
    {
        m_owner->onMessage(frame.payload, frame.response ? frame.response->status : 0);
    }

private:
    LoadHandshake* m_owner;
};

LoadHandshake::LoadHandshake(ByteChannel* channel, const Endpoint& target, QList<LoadInitStep> steps,
                             LoadInitResolver resolver, QObject* parent)
    : QObject(parent), m_channel(channel), m_target(target), m_steps(std::move(steps)),
      m_resolver(std::move(resolver)), m_sink(std::make_unique<Sink>(this))
{
    if (!m_channel->preservesMessageBoundaries())
        m_framer = makeReplyFramer(framingFor(m_target));
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(
            QStringLiteral("%1: no reply within %2 ms").arg(stepName()).arg(m_steps.at(m_current).timeoutMs));
    });
}

LoadHandshake::~LoadHandshake() = default;

void LoadHandshake::start()
{
    connect(m_channel, &ByteChannel::readyRead, this, &LoadHandshake::onReadyRead);
    sendNext();
}

QString LoadHandshake::stepName() const
{
    return QStringLiteral("init[%1] %2").arg(m_current).arg(m_steps.at(m_current).method);
}

void LoadHandshake::sendNext()
{
    if (++m_current >= m_steps.size()) {
        finish({});
        return;
    }
    const LoadInitStep& step = m_steps.at(m_current);
    QJsonObject message{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("method"), step.method}};
    if (!step.params.isUndefined()) {
        QString error;
        const auto params = m_resolver ? m_resolver(step.params, m_results, &error) : step.params;
        if (!params) {
            finish(error); // names the item already (LoadInitResolver)
            return;
        }
        message.insert(QStringLiteral("params"), *params);
    }
    if (!step.notification)
        message.insert(QStringLiteral("id"), m_current + 1);
    const QByteArray json = JsonText::compact(message);
    m_channel->write(m_framer ? frameRequest(framingFor(m_target), json) : json);
    // Over HTTP a notification is still answered (202/204, no body): wait for that response.
    const bool awaitsReply = !step.notification || m_target.transport == Transport::Http;
    if (!awaitsReply) {
        m_results.append(QJsonValue::Undefined);
        QTimer::singleShot(0, this, [this] {
            if (!m_done)
                sendNext();
        });
        return;
    }
    if (step.timeoutMs > 0)
        m_timeout.start(step.timeoutMs);
}

void LoadHandshake::onReadyRead()
{
    if (m_done)
        return;
    if (!m_framer) {
        for (QByteArray message = m_channel->readMessage(); !message.isEmpty() && !m_done;
             message = m_channel->readMessage())
            onMessage(message, 0);
        return;
    }
    if (!m_framer->feed(m_channel->readAll(), *m_sink) && !m_done)
        finish(QStringLiteral("%1: unreadable reply: %2").arg(stepName(), m_framer->error().reason));
}

void LoadHandshake::onMessage(QByteArrayView payload, int httpStatus)
{
    if (m_done || m_current < 0 || m_current >= m_steps.size())
        return;
    const LoadInitStep& step = m_steps.at(m_current);
    if (httpStatus != 0 && (httpStatus < 200 || httpStatus >= 300)) {
        finish(QStringLiteral("%1: HTTP status %2").arg(stepName()).arg(httpStatus));
        return;
    }
    if (step.notification) { // HTTP's empty acknowledgement of a notification
        stepDone(QJsonValue::Undefined);
        return;
    }
    const auto parsed = JsonText::parseValue(QString::fromUtf8(payload));
    if (!parsed || !parsed->isObject()) {
        finish(QStringLiteral("%1: the reply is not a JSON-RPC object").arg(stepName()));
        return;
    }
    const QJsonObject reply = parsed->toObject();
    if (reply.contains(QLatin1String("method"))) { // the server's own request or notification
        if (reply.contains(QLatin1String("id")))
            answerServerRequest(reply.value(QLatin1String("id")));
        return;
    }
    if (reply.value(QLatin1String("id")).toInteger(-1) != m_current + 1)
        return; // not ours (a late reply of something else): keep waiting
    if (reply.contains(QLatin1String("error"))) {
        finish(QStringLiteral("%1: %2").arg(stepName(), errorText(reply.value(QLatin1String("error")))));
        return;
    }
    stepDone(reply.value(QLatin1String("result")));
}

void LoadHandshake::answerServerRequest(const QJsonValue& id)
{
    if (m_target.transport == Transport::Http)
        return; // a plain POST exchange has no way back to the server
    const QJsonObject error{{QStringLiteral("code"), -32601},
                            {QStringLiteral("message"), QStringLiteral("Method not found")}};
    const QByteArray json = JsonText::compact(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                                          {QStringLiteral("id"), id},
                                                          {QStringLiteral("error"), error}});
    m_channel->write(m_framer ? frameStreamReply(m_target.transport, json) : json);
}

void LoadHandshake::stepDone(const QJsonValue& result)
{
    m_timeout.stop();
    m_results.append(result);
    sendNext();
}

void LoadHandshake::finish(const QString& error)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_channel->disconnect(this);
    emit finished(error.isEmpty() ? QString() : QStringLiteral("handshake: ") + error);
}

} // namespace rpcbench
