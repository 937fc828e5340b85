#include "load/LoadTarget.h"

#include "client/InitSequence.h"
#include "client/TargetBar.h"

namespace rpcbench::LoadTarget {

bool apply(const TargetBar& bar, LoadOptions* options, QString* error)
{
    const auto endpoint = bar.endpointFor(options->url, error);
    if (!endpoint)
        return false;
    options->endpoint = *endpoint;
    options->init.clear();
    const QJsonArray init = bar.initFor(options->url);
    if (init.isEmpty())
        return true;
    QString why;
    const auto steps = InitSequence::fromJson(init, &why);
    if (!steps) {
        *error = QObject::tr("The target's handshake cannot be used: %1").arg(why);
        return false;
    }
    // The same mapping as `bench --init`: the load layer performs the steps, InitSequence
    // resolves their templates.
    for (const InitStep& s : *steps)
        options->init.append(
            {s.request.method, s.request.params, s.request.notification, s.request.timeoutMs});
    options->initResolver = &InitSequence::resolve;
    return true;
}

} // namespace rpcbench::LoadTarget
