#pragma once
// The params of the call whose asynchronous handler is starting on this thread, as the
// request sent them. Handlers receive only the bound arguments; a handler that also wants the
// params themselves (script mocks offer them to scripts as `params`) reads current() before it
// returns. The dispatcher sets them only around an asynchronous handler's start, so the
// synchronous fast path pays nothing.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace rpcbench {

class CallParams
{
public:
    // An array for a call by position, an object for a call by name, undefined when the call
    // sent none (or an empty list: the decoded request does not tell them apart) and outside a
    // handler's start. A classic call with both "args" and "kwargs" gives the args array.
    static QJsonValue current();

    // Makes `positional`/`named` current on this thread for its lifetime (they must outlive
    // it); nests.
    class Scope
    {
    public:
        Scope(const QJsonArray& positional, const QJsonObject& named);
        Scope(QJsonArray&&, const QJsonObject&) = delete; // temporaries would dangle
        Scope(const QJsonArray&, QJsonObject&&) = delete;
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        const QJsonArray* m_previousPositional;
        const QJsonObject* m_previousNamed;
    };
};

} // namespace rpcbench
