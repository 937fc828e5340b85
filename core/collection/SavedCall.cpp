#include "collection/SavedCall.h"

#include "util/JsonFields.h"
#include "util/JsonPointer.h"

#include <limits>

namespace rpcbench {

namespace {

const QStringList Dialects = {QStringLiteral("2.0"), QStringLiteral("1.0"), QStringLiteral("classic")};

bool readBatch(JsonFields& f, SavedCall* call)
{
    if (!f.array(u"batch", &call->batch))
        return false;
    for (qsizetype i = 0; i < call->batch.size(); ++i) {
        if (!call->batch.at(i).isObject())
            return f.fail(
                QStringLiteral("%1 must be an object with \"method\"").arg(f.elementName(u"batch", i)));
        JsonFields element(call->batch.at(i).toObject(), f.elementName(u"batch", i));
        QString method;
        bool notification = false;
        if (!element.onlyKeys(
                {QStringLiteral("method"), QStringLiteral("params"), QStringLiteral("notification")}) ||
            !element.string(u"method", &method, JsonFields::Required) ||
            !element.boolean(u"notification", &notification))
            return f.fail(element.error());
        const QJsonValue params = element.value(u"params");
        if (!params.isUndefined() && !params.isArray() && !params.isObject())
            return f.fail(
                QStringLiteral("%1.params must be an array or an object").arg(f.elementName(u"batch", i)));
    }
    if (!call->method.isEmpty() && !call->batch.isEmpty())
        return f.fail(QStringLiteral("a saved call has either \"method\" or \"batch\", not both"));
    return true;
}

bool readHeaders(JsonFields& f, SavedCall* call)
{
    QJsonArray headers;
    if (!f.array(u"headers", &headers))
        return false;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        JsonFields h(headers.at(i).toObject(), f.elementName(u"headers", i));
        SavedCallHeader header;
        if (!headers.at(i).isObject())
            return f.fail(QStringLiteral("%1 must be an object with \"name\" and \"value\"")
                              .arg(f.elementName(u"headers", i)));
        if (!h.onlyKeys({QStringLiteral("name"), QStringLiteral("value")}) ||
            !h.string(u"name", &header.name, JsonFields::Required) ||
            !h.string(u"value", &header.value, JsonFields::Required))
            return f.fail(h.error());
        call->headers << header;
    }
    return true;
}

bool readAssertions(JsonFields& f, SavedCall* call)
{
    QJsonArray list;
    if (!f.array(u"assert", &list))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString why;
        const auto a = Assertion::fromJson(list.at(i), &why);
        if (!a)
            return f.fail(QStringLiteral("%1: %2").arg(f.elementName(u"assert", i), why));
        call->assertions << *a;
    }
    return true;
}

bool readCaptures(JsonFields& f, SavedCall* call)
{
    QJsonObject captures;
    if (!f.object(u"capture", &captures))
        return false;
    for (auto it = captures.begin(); it != captures.end(); ++it) {
        QString why;
        if (!it.value().isString() || !JsonPointer::isValid(it.value().toString(), &why))
            return f.fail(
                QStringLiteral("%1.%2 must be a JSON Pointer into the result (\"\" for all of it)%3")
                    .arg(f.name(u"capture"), it.key(),
                         why.isEmpty() ? QString() : QStringLiteral(": ") + why));
        call->captures.insert(it.key(), it.value().toString());
    }
    return true;
}

} // namespace

QString SavedCall::displayName() const
{
    if (!name.isEmpty())
        return name;
    if (isBatch())
        return QStringLiteral("batch of %1").arg(batch.size());
    return method;
}

QJsonObject SavedCall::toJson() const
{
    // QJsonObject keeps keys sorted, so a file written twice is the same byte for byte.
    QJsonObject o;
    if (!name.isEmpty())
        o.insert(QLatin1String("name"), name);
    if (!description.isEmpty())
        o.insert(QLatin1String("description"), description);
    if (!target.isEmpty())
        o.insert(QLatin1String("target"), target);
    if (dialect != QLatin1String("2.0"))
        o.insert(QLatin1String("dialect"), dialect);
    if (!method.isEmpty())
        o.insert(QLatin1String("method"), method);
    if (!params.isUndefined())
        o.insert(QLatin1String("params"), params);
    if (notification)
        o.insert(QLatin1String("notification"), true);
    if (!batch.isEmpty())
        o.insert(QLatin1String("batch"), batch);
    if (timeoutMs > 0)
        o.insert(QLatin1String("timeoutMs"), timeoutMs);
    if (weight != 1.0) // left out at its default, so a file without weights stays as it was
        o.insert(QLatin1String("weight"), weight);
    if (!headers.isEmpty()) {
        QJsonArray list;
        for (const SavedCallHeader& h : headers)
            list.append(QJsonObject{{QLatin1String("name"), h.name}, {QLatin1String("value"), h.value}});
        o.insert(QLatin1String("headers"), list);
    }
    if (!assertions.isEmpty()) {
        QJsonArray list;
        for (const Assertion& a : assertions)
            list.append(a.toJson());
        o.insert(QLatin1String("assert"), list);
    }
    if (!captures.isEmpty()) {
        QJsonObject c;
        for (auto it = captures.begin(); it != captures.end(); ++it)
            c.insert(it.key(), it.value());
        o.insert(QLatin1String("capture"), c);
    }
    return o;
}

std::optional<SavedCall> SavedCall::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        if (error)
            *error = QStringLiteral("a saved call is an object with \"method\" (or \"batch\")");
        return std::nullopt;
    }
    JsonFields f(json.toObject());
    SavedCall call;
    f.onlyKeys({QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("target"),
                QStringLiteral("dialect"), QStringLiteral("method"), QStringLiteral("params"),
                QStringLiteral("notification"), QStringLiteral("batch"), QStringLiteral("timeoutMs"),
                QStringLiteral("headers"), QStringLiteral("assert"), QStringLiteral("capture"),
                QStringLiteral("weight")});
    f.string(u"name", &call.name);
    f.string(u"description", &call.description);
    f.string(u"target", &call.target);
    f.string(u"dialect", &call.dialect);
    if (f.ok() && !Dialects.contains(call.dialect))
        f.fail(QStringLiteral("%1 must be \"2.0\", \"1.0\" or \"classic\"").arg(f.name(u"dialect")));
    f.string(u"method", &call.method);
    call.params = f.value(u"params");
    if (f.ok() && !call.params.isUndefined() && !call.params.isArray() && !call.params.isObject())
        f.fail(QStringLiteral("%1 must be an array or an object").arg(f.name(u"params")));
    f.boolean(u"notification", &call.notification);
    f.integer(u"timeoutMs", 1, 86'400'000, &call.timeoutMs);
    // null is refused like any other non-number (leave the member out for the default 1);
    // number() lets 0 and NaN through its inclusive bounds, hence the second check.
    const QString weightMust = QStringLiteral("a number greater than 0");
    f.number(u"weight", 0, std::numeric_limits<double>::max(), &call.weight, JsonFields::Optional,
             weightMust);
    if (f.ok() && !(call.weight > 0))
        f.fail(QStringLiteral("%1 must be %2").arg(f.name(u"weight"), weightMust));
    if (f.ok())
        readBatch(f, &call) && readHeaders(f, &call) && readAssertions(f, &call) && readCaptures(f, &call);
    if (f.ok() && call.method.isEmpty() && call.batch.isEmpty())
        f.fail(QStringLiteral("a saved call needs \"method\" (or \"batch\")"));
    if (f.ok() && call.notification && (!call.assertions.isEmpty() || !call.captures.isEmpty()))
        f.fail(QStringLiteral("a notification gets no reply: it can have no \"assert\" or \"capture\""));
    if (!f.ok()) {
        if (error)
            *error = f.error();
        return std::nullopt;
    }
    return call;
}

} // namespace rpcbench
