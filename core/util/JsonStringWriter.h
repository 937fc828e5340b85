#pragma once
// Writes a QString as a JSON string literal (quotes included) in UTF-8, in one pass over the
// UTF-16 data: runs of plain ASCII are copied 8 code units at a time (SSE2), everything else
// is escaped or encoded one code point at a time. Output matches Qt's own JSON writer (quote,
// backslash, \b \f \n \r \t, \u00XX for other control characters), and \uXXXX for lone surrogates
// (legal in JSON text, and QString::toUtf8 would turn them into '?').

#include <QByteArray>
#include <QStringView>

namespace rpcbench {

class JsonStringWriter
{
public:
    static void append(QByteArray& out, QStringView s);
};

} // namespace rpcbench
