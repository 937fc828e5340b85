#include "util/MonotonicClock.h"

#include <chrono>

namespace rpcbench::MonotonicClock {

namespace {

using namespace std::chrono;

struct Anchor
{
    // Both clocks read back to back; from here on only the steady clock advances the time.
    steady_clock::time_point steady = steady_clock::now();
    qint64 wallNs = duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
};

} // namespace

qint64 nowNs()
{
    static const Anchor anchor; // thread-safe one-time initialisation, then a plain load
    return anchor.wallNs + duration_cast<nanoseconds>(steady_clock::now() - anchor.steady).count();
}

} // namespace rpcbench::MonotonicClock
