#pragma once
// One check on the reply to a saved call, as written in a collection file:
//
//   {"result": true}                           the reply is a result (not an error)
//   {"error": -32602}   {"error": true}        the reply is an error (with this code)
//   {"equals": {...}}                          the result equals this JSON value
//   {"pointer": "/user/name", "equals": "Ann"} a value inside the result (RFC 6901) equals...
//   {"pointer": "/id", "matches": "^[0-9a-f]+$"}  ...is a string matching a regular expression
//   {"pointer": "/items", "type": "array"}     ...has a JSON type (integer counts too)
//   {"pointer": "/next", "exists": false}      ...exists, or does not
//   {"schema": true}                           the result validates against the method's
//                                              OpenRPC result schema ({"schema": {...}}: this one)
//   {"latencyMs": 200}                         the reply came within 200 ms
//
// "of": "error" points into the error object instead of the result ({"of": "error", "pointer":
// "/data/reason", "equals": "busy"}). Strict: unknown keys and bad values are errors naming them.
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace rpcbench {

// What a call produced, as the assertions see it.
struct CallOutcome
{
    std::optional<QJsonValue> result; // set for a result
    std::optional<QJsonObject> error; // set for an error reply ({code, message, data})
    QString failure;                  // no reply at all: timeout, transport error (then neither)
    qint64 latencyUs = 0;
    QJsonValue resultSchema; // the method's OpenRPC result schema, undefined if unknown
    QJsonObject schemaRoot;  // the document its $refs resolve in
};

struct AssertionResult
{
    bool passed = false;
    QString expected; // what the assertion wanted, as a user reads it
    QString actual;   // what came back
};

struct Assertion
{
    enum class Kind : quint8 { IsResult, IsError, Equals, Matches, HasType, Exists, Schema, LatencyUnder };

    Kind kind = Kind::IsResult;
    bool ofError = false;    // "of": "error"
    QString pointer;         // "" = the whole result (or error)
    QJsonValue expected;     // Equals; Schema: an inline schema (undefined: the method's)
    QString pattern;         // Matches
    QString type;            // HasType
    std::optional<int> code; // IsError
    bool exists = true;      // Exists
    double maxMs = 0;        // LatencyUnder

    static std::optional<Assertion> fromJson(const QJsonValue& json, QString* error);
    QJsonObject toJson() const;
    // "result /user/name equals \"Ann\"" — a row's name in the test runner and JUnit.
    QString describe() const;
    AssertionResult check(const CallOutcome& outcome) const;
    bool operator==(const Assertion&) const = default;
};

} // namespace rpcbench
