#pragma once
// A load run's mix of calls (LoadOptions::mix): built from a collection of saved calls
// (`bench --from-collection`, the GUI's Load panel), checked, and turned into the fixed cycle
// each connection sends.
//
// From a collection: every call under the chosen folder (or all), its {{variables}} resolved
// once, up front — a load run sends the same bytes again and again, so nothing is expanded on
// the hot path, and a variable used but not defined is an error naming it (a value captured
// from a reply by `rpcbench test` is not available: a load run reads no results). Weights: each
// saved call's "weight" (SavedCall::weight, default 1); the collection only checks it is > 0,
// the limits that depend on the whole mix (at most kMaxCycle, the cycle's length) are
// validate()'s. A load run goes to one target: calls naming different targets are an error
// (out of scope), batches too (a load mix sends single calls). Assertions, captures and
// timeouts do not apply to load.
//
// The cycle: weights scaled to the smallest whole numbers with the same proportions (up to
// three decimals), then interleaved by smooth weighted round robin (as nginx balances
// upstreams): weights 3 and 1 give A A B A, never A A A B, so every stretch of the run is
// close to the mix. Deterministic: the same mix always gives the same cycle.

#include "load/LoadGenerator.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace rpcbench {

struct Collection;
class Variables;

namespace LoadMix {

// The longest cycle a mix may give (sum of the scaled weights).
constexpr int kMaxCycle = 100'000;

struct FromCollection
{
    QList<LoadCall> calls;
    QString target;                      // the one target the calls name (expanded); empty: none names one
    Dialect dialect = Dialect::JsonRpc2; // the calls' dialect (they must share one)
    QStringList warnings;                // what is ignored ("call 'x': its headers are not sent ...")
};

// The calls under `folder` ("" = all, "A/B" = a folder, or one call's path) of `collection`,
// with `variables` (environment and --var layers set by the caller) plus the collection's own.
// nullopt with *error naming the call and the problem.
std::optional<FromCollection> fromCollection(const Collection& collection, const QString& folder,
                                             const Variables& variables, QString* error);

// Empty when the mix is usable, else why not (empty method, bad params JSON, weight not > 0,
// only notifications, too fine weights).
QString validate(const QList<LoadCall>& mix);

// The order in which one connection sends the calls: indices into `mix`, one per call of the
// cycle, each call appearing in proportion to its weight. Empty with *error for a bad mix.
std::vector<int> cycle(const QList<LoadCall>& mix, QString* error = nullptr);

// The whole numbers the weights scale to (same proportions, divided by their gcd); empty
// with *error when a weight is not > 0 or the cycle would exceed kMaxCycle.
std::vector<int> integerWeights(const QList<LoadCall>& mix, QString* error = nullptr);

// How a report names a call: its name, else its method.
inline QString displayName(const LoadCall& call)
{
    return call.name.isEmpty() ? call.method : call.name;
}

} // namespace LoadMix

} // namespace rpcbench
