#pragma once
// JSON Pointer (RFC 6901): "/result/items/0/name" names one value inside a JSON document; ""
// names the whole document; "~1" stands for '/' and "~0" for '~' inside a member name. Used
// wherever a user points into a message: replay's ignored fields, assertions and captures of
// saved calls.
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace rpcbench::JsonPointer {

// False with a one-line *error ("invalid JSON Pointer 'x': it starts with / ...").
bool isValid(const QString& pointer, QString* error = nullptr);
// The unescaped reference tokens ("" → none); nullopt for an invalid pointer.
std::optional<QStringList> tokens(const QString& pointer, QString* error = nullptr);
// The value the pointer names, nullopt when there is none (a missing member, an index out of
// range or not a number, a step into a scalar) or the pointer is invalid.
std::optional<QJsonValue> find(const QJsonValue& document, const QString& pointer);
// `document` without the member or element the pointer names; unchanged when there is none.
// The whole document ("") cannot be removed: it is returned unchanged.
QJsonValue remove(const QJsonValue& document, const QString& pointer);

} // namespace rpcbench::JsonPointer
