#include "load/LoadMix.h"

#include "collection/Collection.h"
#include "collection/Variables.h"
#include "load/LoadRequest.h"
#include "util/JsonText.h"

#include <cmath>
#include <numeric>

namespace rpcbench {

namespace LoadMix {

namespace {

bool underFolder(const QString& path, const QString& folder)
{
    return folder.isEmpty() || path == folder || path.startsWith(folder + QLatin1Char('/'));
}

// The smallest power of ten (up to 1000) that makes every weight whole; 1000 and rounding
// (at least 1) when none does.
qint64 scaleFor(const QList<LoadCall>& mix)
{
    for (qint64 scale : {1, 10, 100, 1000}) {
        const bool whole = std::all_of(mix.begin(), mix.end(), [scale](const LoadCall& c) {
            const double scaled = c.weight * double(scale);
            return std::abs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, scaled);
        });
        if (whole)
            return scale;
    }
    return 1000;
}

} // namespace

std::vector<int> integerWeights(const QList<LoadCall>& mix, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return std::vector<int>();
    };
    if (mix.isEmpty())
        return fail(QStringLiteral("the mix has no calls"));
    for (const LoadCall& c : mix)
        if (!std::isfinite(c.weight) || !(c.weight > 0) || c.weight > kMaxCycle)
            return fail(
                QStringLiteral("call '%1': weight must be a number greater than 0 (and at most %2), got %3")
                    .arg(displayName(c))
                    .arg(kMaxCycle)
                    .arg(c.weight));
    const qint64 scale = scaleFor(mix);
    std::vector<qint64> whole;
    whole.reserve(size_t(mix.size()));
    qint64 divisor = 0;
    for (const LoadCall& c : mix) {
        whole.push_back(std::max<qint64>(1, std::llround(c.weight * double(scale))));
        divisor = std::gcd(divisor, whole.back());
    }
    std::vector<int> out;
    out.reserve(whole.size());
    qint64 total = 0;
    for (qint64 w : whole) {
        out.push_back(int(w / divisor));
        total += w / divisor;
    }
    if (total > kMaxCycle)
        return fail(QStringLiteral("the weights make a cycle of %1 calls (at most %2): use coarser weights")
                        .arg(total)
                        .arg(kMaxCycle));
    return out;
}

QString validate(const QList<LoadCall>& mix)
{
    QString error;
    if (integerWeights(mix, &error).empty())
        return error;
    bool anyReply = false;
    for (const LoadCall& c : mix) {
        QString why;
        if (c.method.isEmpty())
            return QStringLiteral("call '%1' has no method").arg(displayName(c));
        if (LoadRequest::buildCall(c.method, c.params, Dialect::JsonRpc2, &why).isEmpty())
            return QStringLiteral("call '%1': %2").arg(displayName(c), why);
        anyReply = anyReply || !c.notification;
    }
    // Notifications get no reply: a closed loop paced by replies would never send again.
    if (!anyReply)
        return QStringLiteral("the mix has only notifications: at least one call must expect a reply");
    return {};
}

std::vector<int> cycle(const QList<LoadCall>& mix, QString* error)
{
    const std::vector<int> weights = integerWeights(mix, error);
    if (weights.empty())
        return {};
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    // Smooth weighted round robin: each step every call gains its weight, the one with the
    // most goes next and pays the total back. Ties go to the earlier call.
    std::vector<qint64> current(weights.size(), 0);
    std::vector<int> order;
    order.reserve(size_t(total));
    for (int step = 0; step < total; ++step) {
        size_t best = 0;
        for (size_t i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (current[i] > current[best])
                best = i;
        }
        current[best] -= total;
        order.push_back(int(best));
    }
    return order;
}

std::optional<FromCollection> fromCollection(const Collection& collection, const QString& folder,
                                             const Variables& given, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    Variables variables = given;
    variables.setLayer(Variables::Layer::Collection, collection.variables);
    FromCollection out;
    std::optional<Dialect> dialect;
    QString targetOf; // the call that named out.target first
    QHash<QString, int> seen;
    const QString cleanFolder = folder.split(QLatin1Char('/'), Qt::SkipEmptyParts).join(QLatin1Char('/'));
    for (const Collection::Entry& entry : collection.calls()) {
        if (!underFolder(entry.path, cleanFolder))
            continue;
        const SavedCall& call = *entry.call;
        const auto problem = [&](const QString& why) {
            return fail(QStringLiteral("call '%1': %2").arg(entry.path, why));
        };
        if (call.isBatch())
            return problem(QStringLiteral("a batch cannot be part of a load mix (it sends single calls); "
                                          "pick a folder without it (--folder)"));
        QString why;
        const auto d = dialectFromString(call.dialect);
        if (!d)
            return problem(QStringLiteral("unknown dialect '%1'").arg(call.dialect));
        if (dialect && *dialect != *d)
            return problem(
                QStringLiteral("dialect %1 differs from the other calls' %2: a load run has one dialect")
                    .arg(call.dialect, toString(*dialect)));
        dialect = d;
        const auto method = variables.expand(call.method, &why);
        if (!method)
            return problem(why);
        const auto params = variables.expand(call.params, &why);
        if (!params)
            return problem(why);
        const auto target = variables.expand(call.target, &why);
        if (!target)
            return problem(why);
        if (!target->isEmpty()) {
            if (!out.target.isEmpty() && *target != out.target)
                return problem(
                    QStringLiteral("its target %1 differs from %2 (call '%3'): a load run goes to one "
                                   "target; pick calls of one target (--folder) or give --url")
                        .arg(*target, out.target, targetOf));
            if (out.target.isEmpty()) {
                out.target = *target;
                targetOf = entry.path;
            }
        }
        if (!call.headers.isEmpty())
            out.warnings << QStringLiteral("call '%1': its headers are not sent (a load run sends the "
                                           "--header options to every call)")
                                .arg(entry.path);
        LoadCall load;
        // Report names must be unique: a second "echo" is "echo (2)".
        const int n = ++seen[entry.path];
        load.name = n == 1 ? entry.path : QStringLiteral("%1 (%2)").arg(entry.path).arg(n);
        load.method = *method;
        load.params = params->isUndefined() ? QByteArray() : JsonText::compact(*params);
        load.notification = call.notification;
        load.weight = call.weight; // checked against the cycle's limits by validate() below
        out.calls << load;
    }
    if (out.calls.isEmpty())
        return fail(cleanFolder.isEmpty()
                        ? QStringLiteral("collection '%1' has no calls").arg(collection.name)
                        : QStringLiteral("collection '%1' has no folder or call '%2'")
                              .arg(collection.name, cleanFolder));
    if (const QString invalid = validate(out.calls); !invalid.isEmpty())
        return fail(invalid);
    out.dialect = dialect.value_or(Dialect::JsonRpc2);
    return out;
}

} // namespace LoadMix

} // namespace rpcbench
