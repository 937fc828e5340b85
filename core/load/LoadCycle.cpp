#include "load/LoadCycle.h"

#include "load/LoadMix.h"
#include "load/LoadRequest.h"

namespace rpcbench {

std::shared_ptr<const LoadCycle> LoadCycle::build(const QList<LoadCall>& mix, const Endpoint& target,
                                                  Dialect dialect, int depth, QString* error)
{
    const QString invalid = LoadMix::validate(mix);
    if (!invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return nullptr;
    }
    auto cycle = std::make_shared<LoadCycle>();
    QList<QByteArray> framed;
    for (const LoadCall& call : mix) {
        QString why;
        const QByteArray json =
            LoadRequest::buildCall(call.method, call.params, dialect, &why, call.notification);
        if (json.isEmpty()) {
            if (error)
                *error = QStringLiteral("call '%1': %2").arg(LoadMix::displayName(call), why);
            return nullptr;
        }
        cycle->json << json;
        framed << LoadRequest::frame(target, json);
    }
    const std::vector<int> order = LoadMix::cycle(mix, error);
    if (order.empty())
        return nullptr;
    cycle->length = int(order.size());
    qsizetype cycleBytes = 0;
    const bool everyCallAnswered = target.transport == Transport::Http;
    for (int call : order) {
        const bool expectsReply = !mix.at(call).notification || everyCallAnswered;
        cycle->callOf.push_back(call);
        cycle->expectsReply.push_back(expectsReply ? 1 : 0);
        cycle->notification.push_back(mix.at(call).notification ? 1 : 0);
        cycle->repliesPerCycle += expectsReply ? 1 : 0;
        cycleBytes += framed.at(call).size();
    }
    cycle->averageRequestBytes = cycleBytes / cycle->length;
    // From any start in the first cycle, `depth` replies' worth of calls fit without wrapping.
    cycle->repeats = 1 + (std::max(1, depth) + cycle->repliesPerCycle - 1) / cycle->repliesPerCycle;
    cycle->bytes.reserve(cycleBytes * cycle->repeats);
    cycle->offsets.reserve(size_t(cycle->length) * size_t(cycle->repeats) + 1);
    for (int r = 0; r < cycle->repeats; ++r)
        for (int call : order) {
            cycle->offsets.push_back(cycle->bytes.size());
            cycle->bytes.append(framed.at(call));
        }
    cycle->offsets.push_back(cycle->bytes.size());
    return cycle;
}

} // namespace rpcbench
