#include "traffic/JsonLinesIo.h"

#include "traffic/TrafficEventCodec.h"
#include "util/Log.h"

#include <QIODevice>
#include <QJsonDocument>

namespace rpcbench::JsonLinesIo {

namespace {

bool cancelled(const Progress& progress)
{
    return progress.cancel && progress.cancel->load(std::memory_order_relaxed);
}

std::optional<TrafficEvent> decodeLine(const QByteArray& line, QString* reason)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *reason = QStringLiteral("not valid JSON (%1 at column %2)")
                      .arg(parseError.errorString())
                      .arg(parseError.offset + 1);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *reason = QStringLiteral("expected a JSON object");
        return std::nullopt;
    }
    return trafficEventFromJson(doc.object(), reason);
}

} // namespace

bool write(QIODevice& out, const std::vector<TrafficEvent>& events, const Progress& progress, QString* error)
{
    const qint64 total = qint64(events.size());
    for (qint64 i = 0; i < total; ++i) {
        if (cancelled(progress)) {
            error->clear();
            return false;
        }
        const QByteArray line = trafficEventToJsonLine(events[size_t(i)]);
        if (out.write(line) != line.size()) {
            *error = QStringLiteral("cannot write: %1").arg(out.errorString());
            return false;
        }
        if (progress.report)
            progress.report(i + 1, total);
    }
    return true;
}

std::optional<std::vector<TrafficEvent>> read(QIODevice& in, const Progress& progress, QString* error)
{
    std::vector<TrafficEvent> events;
    const qint64 total = qMax<qint64>(1, in.size());
    qint64 lineNumber = 0;
    while (!in.atEnd()) {
        if (cancelled(progress)) {
            error->clear();
            return std::nullopt;
        }
        const QByteArray line = in.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QString reason;
        std::optional<TrafficEvent> event = decodeLine(line, &reason);
        if (!event) {
            *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(reason);
            qCDebug(lcTraffic).noquote() << "traffic log rejected:" << *error;
            return std::nullopt;
        }
        events.push_back(std::move(*event));
        if (progress.report)
            progress.report(in.pos(), total);
    }
    qCDebug(lcTraffic) << "traffic log read:" << events.size() << "events";
    return events;
}

} // namespace rpcbench::JsonLinesIo
