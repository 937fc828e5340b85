#include "util/JsonText.h"

#include "util/JsonStringState.h"
#include "util/JsonStringWriter.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <charconv>
#include <cmath>

namespace rpcbench::JsonText {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void newline(QByteArray& out, int depth)
{
    out += '\n';
    out.append(qsizetype(qMax(depth, 0)) * 2, ' ');
}

// Index of the next non-whitespace byte at or after i (n when none).
qsizetype skipSpace(QByteArrayView in, qsizetype i)
{
    while (i < in.size() && isSpace(in[i]))
        ++i;
    return i;
}

QByteArrayView limited(QByteArrayView in, qsizetype maxInput, bool* truncated)
{
    const bool cut = maxInput >= 0 && in.size() > maxInput;
    if (truncated)
        *truncated = cut;
    return cut ? in.first(maxInput) : in;
}

void appendNumber(QByteArray& out, const QJsonValue& v)
{
    const double d = v.toDouble();
    // Qt keeps JSON integers as qint64, so values above 2^53 survive exactly; write those
    // (and integral doubles in range) as integers, everything else as the shortest double.
    const qint64 i = v.toInteger(0);
    if (static_cast<double>(i) == d && std::isfinite(d)) {
        char buf[24]; // no temporary QByteArray: ids and small results are on the hot path
        const auto end = std::to_chars(buf, buf + sizeof buf, i).ptr;
        out.append(buf, end - buf);
    } else if (std::isfinite(d)) {
        out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    } else {
        out += "null"; // JSON has no NaN/Infinity; Qt writes null too
    }
}

} // namespace

QString pretty(QByteArrayView json, qsizetype maxInput, bool* truncated)
{
    const QByteArrayView in = limited(json, maxInput, truncated);
    QByteArray out;
    out.reserve(in.size() + in.size() / 2 + 16);
    int depth = 0;
    JsonStringState strings;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (strings.feed(c)) {
            out += c;
            continue;
        }
        if (isSpace(c))
            continue;
        switch (c) {
        case '{':
        case '[': {
            const char close = c == '{' ? '}' : ']';
            const qsizetype next = skipSpace(in, i + 1);
            if (next < in.size() && in[next] == close) { // keep empty containers on one line
                out += c;
                out += close;
                i = next;
                break;
            }
            out += c;
            newline(out, ++depth);
            break;
        }
        case '}':
        case ']':
            newline(out, --depth);
            out += c;
            break;
        case ',':
            out += c;
            newline(out, depth);
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    return QString::fromUtf8(out);
}

QString hexDump(QByteArrayView bytes, qsizetype maxInput, bool* truncated)
{
    const QByteArrayView in = limited(bytes, maxInput, truncated);
    static const char digits[] = "0123456789abcdef";
    QByteArray out;
    out.reserve((in.size() / 16 + 1) * 78);
    for (qsizetype line = 0; line < in.size(); line += 16) {
        out += QByteArray::number(line, 16).rightJustified(8, '0');
        out += "  ";
        for (qsizetype j = 0; j < 16; ++j) {
            if (line + j < in.size()) {
                const auto b = uchar(in[line + j]);
                out += digits[b >> 4];
                out += digits[b & 0xf];
                out += ' ';
            } else {
                out += "   ";
            }
            if (j == 7)
                out += ' ';
        }
        out += " |";
        for (qsizetype j = 0; j < 16 && line + j < in.size(); ++j) {
            const auto b = uchar(in[line + j]);
            out += (b >= 0x20 && b < 0x7f) ? char(b) : '.';
        }
        out += "|\n";
    }
    return QString::fromLatin1(out);
}

QString rawText(QByteArrayView bytes, qsizetype maxInput, bool* truncated)
{
    return QString::fromUtf8(limited(bytes, maxInput, truncated));
}

void appendCompact(QByteArray& out, const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, value);
        break;
    case QJsonValue::String:
        JsonStringWriter::append(out, value.toString());
        break;
    case QJsonValue::Array:
        out += QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
        break;
    case QJsonValue::Object:
        out += QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        break;
    }
}

QByteArray compact(const QJsonValue& value)
{
    QByteArray out;
    if (value.isDouble() || value.isNull())
        out.reserve(24); // ids: one allocation, never a regrowth
    appendCompact(out, value);
    return out;
}

QByteArray serialize(const QJsonValue& value, bool indented)
{
    if (value.isUndefined())
        return {};
    if (indented && value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented).trimmed();
    if (indented && value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented).trimmed();
    return compact(value); // scalars have no indented form
}

std::optional<QJsonValue> parseValue(const QString& text, QString* error)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("empty");
        return std::nullopt;
    }
    // Wrapping in [] lets QJsonDocument parse scalars; the offset is shifted back by one.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + utf8 + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (error) {
            *error = parseError.error != QJsonParseError::NoError
                         ? QStringLiteral("%1 at character %2")
                               .arg(parseError.errorString())
                               .arg(qMax(1, parseError.offset))
                         : QStringLiteral("more than one JSON value");
        }
        return std::nullopt;
    }
    return doc.array().at(0);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

QString formatLatency(qint64 us)
{
    if (us < 0)
        return {};
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us);
    if (us < 1'000'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 2);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 2);
}

QString formatLatencyNs(qint64 ns)
{
    if (ns < 0)
        return {};
    if (ns < 10'000) // a mean over fast calls: "0 µs" would say nothing
        return QStringLiteral("%1 µs").arg(double(ns) / 1000.0, 0, 'f', 1);
    return formatLatency((ns + 500) / 1000);
}

QString formatCount(quint64 count)
{
    if (count < 1000)
        return QString::number(count);
    double value = double(count);
    for (const char suffix : {'k', 'M', 'G', 'T', 'P', 'E'}) {
        value /= 1000.0;
        const int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
        QString text = QString::number(value, 'f', decimals);
        if (text.toDouble() >= 1000.0)
            continue; // 999.96k rounds to "1000": say "1M" instead
        if (text.contains(QLatin1Char('.'))) {
            while (text.endsWith(QLatin1Char('0')))
                text.chop(1);
            if (text.endsWith(QLatin1Char('.')))
                text.chop(1);
        }
        return text + QLatin1Char(suffix);
    }
    return QString::number(count);
}

QString truncationNote(qsizetype shown, qsizetype total)
{
    return QStringLiteral("… truncated: showing %1 of %2").arg(formatBytes(shown), formatBytes(total));
}

} // namespace rpcbench::JsonText
