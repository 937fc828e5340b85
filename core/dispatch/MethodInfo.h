#pragma once
// Description of a registered method: what discovery (OpenRPC, system.*) publishes and what
// the binder checks arguments against. Also the type the client builds its forms from.

#include "util/JsonTypes.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace rpcbench {

enum class ParamType : quint8 { Integer, Number, String, Boolean, Array, Object, Any };

QString toString(ParamType t); // JSON Schema type name; "any" for Any
std::optional<ParamType> paramTypeFromString(const QString& s);
QJsonObject schemaFor(ParamType t);                  // {"type": "integer"} ... {} for Any
bool valueMatches(ParamType t, const QJsonValue& v); // integer accepts 3 and 3.0, not 3.5
QString withArticle(ParamType t);                    // "an integer", "a string", ... for messages

struct ParamInfo
{
    QString name;
    ParamType type = ParamType::Any;
    QString description;
    // Set = optional parameter. QJsonValue::Undefined means "optional, no default": when not
    // given, the bound argument is absent (a shorter args array, or null before a later argument).
    std::optional<QJsonValue> defaultValue;
    bool variadic = false; // last parameter only: collects the remaining positionals as an array

    bool isRequired() const { return !defaultValue && !variadic; }
};

struct MethodInfo
{
    QString name;
    QString description;
    QList<ParamInfo> params;
    ParamType resultType = ParamType::Any;
    QString resultDescription;
    bool builtin = true; // false for user-defined (mock) methods
    bool enabled = true; // disabled methods answer "method not found"

    // A user method that declares no parameters takes whatever params it is sent, unbound (a
    // script still reads them as `params`): a canned answer to a server's
    // `workspace/configuration` should not have to spell out `items`. Built-in methods and
    // methods with parameters are bound strictly.
    bool takesAnyParams() const { return !builtin && params.isEmpty(); }

    // "add(a: number, b: number, c: number = 10) -> number"
    QString signature() const;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::MethodInfo)
