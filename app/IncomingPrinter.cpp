#include "IncomingPrinter.h"

#include "client/RpcClient.h"
#include "util/JsonText.h"

#include <QJsonArray>

using namespace rpcbench;

IncomingPrinter::IncomingPrinter(RpcClient* client, std::FILE* out, qint64 maxLines, QObject* parent)
    : QObject(parent), m_out(out), m_maxLines(maxLines)
{
    connect(client, &RpcClient::incoming, this,
            [this](quint64, const QByteArray& payload) { onIncoming(payload); });
}

QList<QByteArray> IncomingPrinter::lines(const QByteArray& payload)
{
    const auto parsed = JsonText::parseValue(QString::fromUtf8(payload));
    if (!parsed)
        return {payload.simplified()};
    if (!parsed->isArray())
        return {JsonText::compact(*parsed)};
    QList<QByteArray> out;
    for (const QJsonValue& message : parsed->toArray())
        out.append(JsonText::compact(message));
    return out;
}

void IncomingPrinter::onIncoming(const QByteArray& payload)
{
    if (m_maxLines > 0 && m_printed >= m_maxLines)
        return;
    for (const QByteArray& line : lines(payload)) {
        std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
        std::fputc('\n', m_out);
        // Flushed per line: a reader on a pipe sees each message as it arrives.
        std::fflush(m_out);
        if (++m_printed == m_maxLines) {
            emit limitReached();
            return;
        }
    }
}
