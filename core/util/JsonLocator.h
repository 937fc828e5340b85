#pragma once
// Finds where a problem found after parsing sits in the text a person wrote, so a message like
// "items[2] 'login'.items[0]: assert[1]: unknown key 'equal'" becomes "line 14: items[2] ...":
// the parser already said where a syntax error is; this does the same for a well-formed file
// whose content is wrong (an unknown key, a bad value).
//
// Messages name members the way JsonFields and the collection reader do: dotted keys,
// "[N]" indexes, an optional quoted label after an element ("items[0] 'login'"), ": " between
// a container and the problem inside it, and "unknown key 'k'" for the key itself. The line is
// the one of the deepest member of that path that exists in the text.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rpcbench {

namespace JsonLocator {

// The member path a message starts with, as JSON Pointer reference tokens
// ("items[0] 'a': assert[1]: unknown key 'x'" → items, 0, assert, 1, x). Empty when the
// message does not start with one.
QStringList pathInMessage(const QString& message);

// 1-based line of the deepest member of `path` present in `json` (the line of its key, or of
// an array element's first character); 0 when the text is not JSON or nothing matches.
int lineOf(const QByteArray& json, const QStringList& path);

// "line N: <message>" when the message's path is found in `json`, else the message unchanged.
QString withLine(const QByteArray& json, const QString& message);

} // namespace JsonLocator

} // namespace rpcbench
