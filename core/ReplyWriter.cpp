#include "ReplyWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <charconv>
#include <cmath>

namespace rpcbench {

namespace {

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

// Runs of bytes that need no escaping are copied with one append each; this is the hot path
// for large string results (a 64 KiB echo spent most of its time appending byte by byte).
void appendEscaped(QByteArray& out, const QByteArray& utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    const char* p = utf8.constData();
    const char* const end = p + utf8.size();
    while (p < end) {
        const char* run = p;
        while (p < end && static_cast<unsigned char>(*p) >= 0x20 && *p != '"' && *p != '\\')
            ++p;
        if (p > run)
            out.append(run, p - run);
        if (p == end)
            break;
        const char c = *p++;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            const auto u = static_cast<unsigned char>(c);
            const char esc[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
            out.append(esc, 6);
        }
        }
    }
    out += '"';
}

} // namespace

namespace {

bool hasSurrogate(const QString& s)
{
    // Branch-free so the compiler vectorises it: this runs over every string we write.
    const ushort* p = s.utf16();
    unsigned any = 0;
    for (qsizetype i = 0, n = s.size(); i < n; ++i)
        any |= (p[i] & 0xF800u) == 0xD800u;
    return any != 0;
}

// Strings with surrogates: pairs become UTF-8, lone halves (legal in JSON text, "\ud800")
// are written as \uXXXX escapes like Qt's own writer does. QString::toUtf8 would turn them
// into '?', which silently changes ids and payloads.
void appendWithSurrogates(QByteArray& out, const QString& s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const qsizetype n = s.size();
    qsizetype runStart = 0;
    auto flushRun = [&](qsizetype upTo) {
        if (upTo > runStart) {
            QByteArray run;
            appendEscaped(run, QStringView(s).mid(runStart, upTo - runStart).toUtf8());
            out.append(run.constData() + 1, run.size() - 2); // without its quotes
        }
    };
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = s.at(i);
        if (!c.isSurrogate())
            continue;
        if (c.isHighSurrogate() && i + 1 < n && s.at(i + 1).isLowSurrogate()) {
            ++i; // a valid pair stays in the run
            continue;
        }
        flushRun(i);
        const ushort u = c.unicode();
        const char esc[6] = {'\\', 'u', hex[u >> 12], hex[(u >> 8) & 0xf], hex[(u >> 4) & 0xf], hex[u & 0xf]};
        out.append(esc, 6);
        runStart = i + 1;
    }
    flushRun(n);
    out += '"';
}

} // namespace

void ReplyWriter::appendString(QByteArray& out, const QString& s)
{
    if (hasSurrogate(s)) [[unlikely]]
        appendWithSurrogates(out, s);
    else
        appendEscaped(out, s.toUtf8());
}

void ReplyWriter::appendJson(QByteArray& out, const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, v);
        break;
    case QJsonValue::String:
        appendString(out, v.toString());
        break;
    case QJsonValue::Array:
        out += QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
        break;
    case QJsonValue::Object:
        out += QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        break;
    }
}

QByteArray ReplyWriter::toJson(const QJsonValue& v)
{
    QByteArray out;
    if (v.isDouble() || v.isNull())
        out.reserve(24);
    appendJson(out, v);
    return out;
}

QByteArray ReplyWriter::reply(Dialect dialect, const QByteArray& idJson, const RpcResult& result)
{
    QByteArray out;
    out.reserve(128 + idJson.size()); // one allocation for typical replies
    const QByteArray& id = idJson.isEmpty() ? QByteArrayLiteral("null") : idJson;
    switch (dialect) {
    case Dialect::Classic:
        out += result.ok ? "{\"res\":" : "{\"error\":";
        break;
    case Dialect::JsonRpc1:
        // 1.0 always carries both members; the unused one is null.
        out += result.ok ? "{\"result\":" : "{\"result\":null,\"error\":";
        break;
    case Dialect::JsonRpc2:
    case Dialect::Unknown:
        out += result.ok ? "{\"jsonrpc\":\"2.0\",\"result\":" : "{\"jsonrpc\":\"2.0\",\"error\":";
        break;
    }
    if (result.ok)
        appendJson(out, result.value);
    else
        out += QJsonDocument(result.error.toJson()).toJson(QJsonDocument::Compact);
    if (dialect == Dialect::JsonRpc1 && result.ok)
        out += ",\"error\":null";
    if (dialect != Dialect::Classic) {
        out += ",\"id\":";
        out += id;
    }
    out += '}';
    return out;
}

MessageSummary ReplyWriter::summary(Dialect dialect, const QByteArray& idJson, const RpcResult& result,
                                    const QString& method)
{
    MessageSummary s;
    s.kind = result.ok ? MessageKind::Response : MessageKind::Error;
    s.dialect = dialect;
    s.method = method;
    if (dialect != Dialect::Classic)
        s.idJson = idJson.isEmpty() ? QByteArrayLiteral("null") : idJson;
    s.errorCode = result.ok ? 0 : result.error.code;
    return s;
}

} // namespace rpcbench
