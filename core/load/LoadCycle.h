#pragma once
// The bytes a mix sends (LoadOptions::mix): its cycle (LoadMix::cycle) built once, framed for
// the target, and shared read-only by every connection of the run, so a connection writes any
// run of consecutive calls of the cycle with one write of a slice, as the single-request path
// writes a prefix of its burst. The cycle is repeated in `bytes` often enough that a connection
// starting anywhere in the first cycle can send `depth` calls that expect a reply (with the
// notifications between them) without wrapping around.
//
// Notifications get no reply: they are written and counted as sent, but take no place among
// the calls in flight (a closed loop sends them on its way to the next call that expects a
// reply). Over HTTP every POST gets a response (an empty 200 or 202 for a notification), so
// there a notification waits for it like any call. A mix of notifications only is refused
// (LoadMix::validate).

#include "load/LoadGenerator.h"

#include <QByteArray>
#include <QList>

#include <memory>
#include <vector>

namespace rpcbench {

struct LoadCycle
{
    QByteArray bytes;                 // the framed calls of the cycle, `repeats` times over
    std::vector<qsizetype> offsets;   // where each call of `bytes` starts; one more: the end
    std::vector<int> callOf;          // per position of one cycle: the index into the mix
    std::vector<quint8> expectsReply; // per position of one cycle: 0 for a notification (not HTTP)
    std::vector<quint8> notification; // per position of one cycle
    QList<QByteArray> json;           // per call of the mix: its JSON (the traffic log's raw bytes)
    int length = 0;                   // positions in one cycle
    int repliesPerCycle = 0;          // of those, calls that expect a reply
    int repeats = 0;
    qsizetype averageRequestBytes = 0;

    // The cycle of `mix` for `target` in `dialect`, long enough for `depth` calls in flight;
    // nullptr with *error naming the call for a bad mix.
    static std::shared_ptr<const LoadCycle> build(const QList<LoadCall>& mix, const Endpoint& target,
                                                  Dialect dialect, int depth, QString* error);
};

} // namespace rpcbench
