#include "dispatch/FaultInjector.h"

#include "dispatch/Dispatcher.h"
#include "util/JsonStringState.h"

#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <vector>

namespace rpcbench {

namespace {

QByteArray reversed(const QByteArray& in)
{
    QByteArray out(in.size(), Qt::Uninitialized);
    std::reverse_copy(in.cbegin(), in.cend(), out.begin());
    return out;
}

} // namespace

bool FaultInjector::rollError(const FaultSettings& f)
{
    if (f.errorRatePercent <= 0)
        return false;
    if (f.errorRatePercent >= 100)
        return true;
    return QRandomGenerator::global()->bounded(100.0) < f.errorRatePercent;
}

RpcResult FaultInjector::injectedError(const FaultSettings& f)
{
    return RpcResult::failure(f.errorCode, f.errorMessage);
}

int FaultInjector::latencyMs(const FaultSettings& f)
{
    if (!f.hasJitter())
        return f.latencyMinMs;
    return f.latencyMinMs + int(QRandomGenerator::global()->bounded(f.latencyMaxMs - f.latencyMinMs + 1));
}

QByteArray FaultInjector::wrongId(const QByteArray& idJson)
{
    const QByteArray trimmed = idJson.trimmed();
    if (trimmed == "null")
        return QByteArrayLiteral("0");
    if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.size() >= 2)
        return trimmed.left(trimmed.size() - 1) + "-wrong\"";
    bool isInt = false;
    const qlonglong i = trimmed.toLongLong(&isInt);
    if (isInt)
        return QByteArray::number(i == std::numeric_limits<qlonglong>::max() ? i - 1 : i + 1);
    bool isNumber = false;
    const double d = trimmed.toDouble(&isNumber);
    if (isNumber)
        return QByteArray::number(d + 1, 'g', 17);
    return QByteArrayLiteral("\"wrong-id\"");
}

QByteArray FaultInjector::corrupt(const QByteArray& json)
{
    // One pass: remember every ':' outside strings and the brackets open at that point.
    struct Cut
    {
        qsizetype at;
        QByteArray closers;
    };
    std::vector<Cut> cuts;
    QByteArray open;
    JsonStringState strings;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (strings.feed(c))
            continue;
        if (c == '{' || c == '[')
            open.append(c == '{' ? '}' : ']');
        else if ((c == '}' || c == ']') && !open.isEmpty())
            open.chop(1);
        else if (c == ':')
            cuts.push_back({i + 1, reversed(open)});
    }
    if (cuts.empty()) {
        // No object member to cut (e.g. `[1,2]`): a trailing comma breaks it just as well.
        const qsizetype last = json.size() - 1;
        return last > 0 ? json.left(last) + ',' + json.mid(last) : QByteArrayLiteral("{,}");
    }
    const Cut* best = &cuts.front();
    for (const Cut& c : cuts) {
        if (std::abs(c.at - json.size() / 2) < std::abs(best->at - json.size() / 2))
            best = &c;
    }
    return json.left(best->at) + best->closers;
}

void FaultInjector::applyToReply(DispatchReply& reply, const FaultSettings& f, bool alreadyFaulted)
{
    bool faulted = alreadyFaulted;
    if (!reply.bytes.isEmpty()) {
        if (f.malformedJson) {
            reply.bytes = corrupt(reply.bytes);
            faulted = true;
        }
        if (f.dropConnection) {
            reply.dropConnection = true;
            faulted = true;
        }
        if (f.trickleMs > 0) {
            reply.trickleMs = f.trickleMs;
            faulted = true;
        }
    }
    reply.summary.faulted = reply.summary.faulted || faulted;
}

} // namespace rpcbench
