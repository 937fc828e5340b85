#include "protocol/RequestDecoder.h"

#include "util/JsonText.h"

#include <QJsonDocument>

#include <cstring>

namespace rpcbench {

namespace {

const QLatin1StringView kJsonRpc("jsonrpc");
const QLatin1StringView kMethod("method");
const QLatin1StringView kParams("params");
const QLatin1StringView kId("id");
const QLatin1StringView kMethodName("method_name");
const QLatin1StringView kMethodArgs("method_args");
const QLatin1StringView kMethodKwargs("method_kwargs");

// Sets positional/named from a params value; false when it is neither array nor object.
bool takeParams(DecodedRequest& r, const QJsonValue& params, bool allowObject)
{
    if (params.isUndefined())
        return true;
    if (params.isArray()) {
        r.positional = params.toArray();
        return true;
    }
    if (allowObject && params.isObject()) {
        r.named = params.toObject();
        return true;
    }
    return false;
}

} // namespace

DecodedRequest RequestDecoder::decode(const QJsonValue& message, bool batchElement)
{
    if (!message.isObject())
        return {}; // 2.0 Invalid Request, id null
    return decode(message.toObject(), batchElement);
}

DecodedRequest RequestDecoder::decode(const QJsonObject& obj, bool batchElement)
{
    // One lookup decides the common case (2.0) and hands its value on.
    const QJsonValue version = obj.value(kJsonRpc);
    if (batchElement || !version.isUndefined())
        return decode2(obj, version);
    if (obj.contains(kMethodName))
        return decodeClassic(obj);
    if (obj.contains(kMethod))
        return decode1(obj);
    return {};
}

DecodedRequest RequestDecoder::decode2(const QJsonObject& obj, const QJsonValue& version)
{
    DecodedRequest r;
    const auto idIt = obj.constFind(kId);
    if (idIt != obj.constEnd()) {
        const QJsonValue id = idIt.value();
        if (!id.isString() && !id.isDouble() && !id.isNull())
            return r; // an id we cannot echo: answer with null
        r.hasId = true;
        r.idJson = JsonText::compact(id);
    }
    const QJsonValue method = obj.value(kMethod);
    if (!version.isString() || version.toString() != QLatin1StringView("2.0") || !method.isString())
        return r;
    if (!takeParams(r, obj.value(kParams), true))
        return r;
    r.method = method.toString();
    r.notification = !r.hasId; // only a missing id makes a notification; "id": null is a call
    r.valid = true;
    return r;
}

DecodedRequest RequestDecoder::decode1(const QJsonObject& obj)
{
    DecodedRequest r;
    r.dialect = Dialect::JsonRpc1;
    const auto idIt = obj.constFind(kId);
    if (idIt != obj.constEnd()) {
        r.hasId = true; // 1.0 allows an id of any type
        r.idJson = JsonText::compact(idIt.value());
    }
    const QJsonValue method = obj.value(kMethod);
    if (!r.hasId || !method.isString() || !takeParams(r, obj.value(kParams), false))
        return r;
    r.method = method.toString();
    r.notification = idIt.value().isNull(); // in 1.0 a notification is a request with id null
    r.valid = true;
    return r;
}

DecodedRequest RequestDecoder::decodeClassic(const QJsonObject& obj)
{
    DecodedRequest r;
    r.dialect = Dialect::Classic;
    r.idJson.clear();
    const QJsonValue method = obj.value(kMethodName);
    const QJsonValue args = obj.value(kMethodArgs);
    const QJsonValue kwargs = obj.value(kMethodKwargs);
    if (!method.isString())
        return r;
    if (!(args.isUndefined() || args.isArray()) || !(kwargs.isUndefined() || kwargs.isObject()))
        return r;
    r.method = method.toString();
    r.positional = args.toArray();
    r.named = kwargs.toObject();
    r.valid = true;
    return r;
}

bool RequestDecoder::exceedsDepth(const QByteArray& json, int maxDepth)
{
    // Every level needs at least one byte, so short messages cannot be too deep.
    if (json.size() <= maxDepth)
        return false;
    int depth = 0;
    const char* p = json.constData();
    const char* const end = p + json.size();
    while (p < end) {
        const char c = *p++;
        if (c == '"') {
            // Skip the string with memchr (SIMD-fast) instead of a byte loop: large string
            // payloads are the common case for big messages.
            for (;;) {
                const auto* quote = static_cast<const char*>(std::memchr(p, '"', size_t(end - p)));
                if (!quote)
                    return false; // unterminated: the parser reports it
                const auto* backslash = static_cast<const char*>(std::memchr(p, '\\', size_t(quote - p)));
                if (!backslash) {
                    p = quote + 1;
                    break;
                }
                p = backslash + 2; // skip the escaped character
                if (p > end)
                    return false;
            }
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

bool RequestDecoder::isScalarJson(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + json + ']', &error);
    return error.error == QJsonParseError::NoError && doc.array().size() == 1;
}

} // namespace rpcbench
