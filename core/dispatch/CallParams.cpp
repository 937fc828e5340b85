#include "dispatch/CallParams.h"

namespace rpcbench {

namespace {

// Plain pointers: setting them is two stores, no allocation, whatever the params hold.
thread_local const QJsonArray* tPositional = nullptr;
thread_local const QJsonObject* tNamed = nullptr;

} // namespace

QJsonValue CallParams::current()
{
    if (tPositional && !tPositional->isEmpty())
        return *tPositional;
    if (tNamed && !tNamed->isEmpty())
        return *tNamed;
    return QJsonValue(QJsonValue::Undefined);
}

CallParams::Scope::Scope(const QJsonArray& positional, const QJsonObject& named)
    : m_previousPositional(tPositional), m_previousNamed(tNamed)
{
    tPositional = &positional;
    tNamed = &named;
}

CallParams::Scope::~Scope()
{
    tPositional = m_previousPositional;
    tNamed = m_previousNamed;
}

} // namespace rpcbench
