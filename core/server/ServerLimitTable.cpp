#include "server/ServerLimitTable.h"

#include <array>
#include <type_traits>

namespace rpcbench {

namespace {

template <auto Member>
constexpr ServerLimitInfo row(const char* key, const char* option, const char* unit, qint64 min, qint64 max,
                              const char* help)
{
    using Value = std::remove_cvref_t<decltype(std::declval<ServerLimits&>().*Member)>;
    return {key,
            option,
            unit,
            min,
            max,
            help,
            [](const ServerLimits& l) { return qint64(l.*Member); },
            [](ServerLimits& l, qint64 v) { l.*Member = Value(v); }};
}

constexpr qint64 kDayMs = 86'400'000;

constexpr std::array kTable = {
    row<&ServerLimits::maxMessageBytes>("maxMessageBytes", "max-message-bytes", "bytes", 64, qint64(1) << 31,
                                        "Largest message or HTTP body accepted."),
    row<&ServerLimits::maxHeaderBytes>("maxHeaderBytes", nullptr, "bytes", 256, qint64(1) << 24,
                                       "Largest HTTP request head or Content-Length header block."),
    row<&ServerLimits::idleTimeoutMs>("idleTimeoutMs", "idle-timeout-ms", "ms", 1, kDayMs,
                                      "A half-received message must complete within this time."),
    row<&ServerLimits::keepAliveTimeoutMs>(
        "keepAliveTimeoutMs", "keepalive-timeout-ms", "ms", 0, kDayMs,
        "A connection with nothing under way is closed after this much silence (0 = never)."),
    row<&ServerLimits::maxConnections>("maxConnections", "max-connections", "count", 1, 1'000'000,
                                       "Concurrent connections; more are refused with an error."),
    row<&ServerLimits::handlerTimeoutMs>("handlerTimeoutMs", "handler-timeout-ms", "ms", 1, kDayMs,
                                         "A call not answered within this time gets error -32002."),
    row<&ServerLimits::maxPendingReplyBytes>("maxPendingReplyBytes", nullptr, "bytes", 1024, qint64(1) << 31,
                                             "Unsent output to one peer before reading from it pauses."),
    row<&ServerLimits::maxJsonDepth>("maxJsonDepth", nullptr, "levels", 1, 100'000,
                                     "Deeper nesting of arrays and objects is rejected as a parse error."),
};

// Every default must be a value the table accepts.
constexpr bool defaultsInRange()
{
    for (const ServerLimitInfo& info : kTable) {
        const qint64 v = info.get(ServerLimits{});
        if (v < info.min || v > info.max)
            return false;
    }
    return true;
}
static_assert(defaultsInRange(), "a ServerLimits default is outside its table range");

} // namespace

std::span<const ServerLimitInfo> serverLimitTable()
{
    return kTable;
}

} // namespace rpcbench
