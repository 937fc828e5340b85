#include "protocol/ReplyWriter.h"

#include "util/JsonStringWriter.h"

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

} // namespace

void ReplyWriter::appendString(QByteArray& out, const QString& s)
{
    JsonStringWriter::append(out, s);
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
