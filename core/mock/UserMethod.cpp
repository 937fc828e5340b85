#include "mock/UserMethod.h"

#include "dispatch/CallParams.h"
#include "dispatch/MethodRegistry.h"
#include "util/JsonFields.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <limits>

namespace rpcbench {

namespace {

bool isJsIdentifier(const QString& name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*$"));
    return re.match(name).hasMatch();
}

QString validateName(const QString& name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("the method needs a name");
    if (name.size() > 200)
        return QStringLiteral("the method name is longer than 200 characters");
    for (const QChar c : name) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return QStringLiteral("the method name '%1' contains spaces or control characters").arg(name);
    }
    if (name.startsWith(u"rpc."))
        return QStringLiteral("names starting with 'rpc.' are reserved by JSON-RPC");
    return {};
}

QString validateParam(const ParamInfo& p, int index, int count, bool script)
{
    const QString where = QStringLiteral("parameter %1").arg(index + 1);
    if (p.name.isEmpty())
        return where + QStringLiteral(" needs a name");
    if (script && !isJsIdentifier(p.name))
        return QStringLiteral("parameter '%1' is not a JavaScript identifier (letters, digits, _ and $)")
            .arg(p.name);
    if (p.variadic && index != count - 1)
        return QStringLiteral("parameter '%1': only the last parameter may be variadic").arg(p.name);
    if (p.variadic && p.defaultValue)
        return QStringLiteral("parameter '%1': a variadic parameter cannot have a default").arg(p.name);
    if (p.defaultValue && !p.defaultValue->isUndefined() && !valueMatches(p.type, *p.defaultValue))
        return QStringLiteral("parameter '%1': the default must be %2").arg(p.name, withArticle(p.type));
    return {};
}

// Reads "type" into *out: one of the names paramTypeFromString knows.
bool readType(JsonFields& fields, ParamType* out)
{
    const QJsonValue v = fields.value(u"type");
    if (v.isUndefined())
        return fields.ok();
    const auto type = paramTypeFromString(v.toString());
    if (!v.isString() || !type)
        return fields.fail(u"type", QStringLiteral("unknown type '%1' (integer, number, string, boolean, "
                                                   "array, object or any)")
                                        .arg(v.toVariant().toString()));
    *out = *type;
    return true;
}

std::optional<ParamInfo> paramFromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("must be an object");
        return std::nullopt;
    }
    JsonFields fields(json.toObject());
    ParamInfo p;
    bool optional = false;
    if (!fields.string(u"name", &p.name, JsonFields::Required) || !readType(fields, &p.type) ||
        !fields.string(u"description", &p.description) || !fields.boolean(u"variadic", &p.variadic) ||
        !fields.boolean(u"optional", &optional)) {
        *error = fields.error();
        return std::nullopt;
    }
    if (fields.has(u"default"))
        p.defaultValue = fields.value(u"default");
    else if (optional)
        p.defaultValue = QJsonValue(QJsonValue::Undefined);
    return p;
}

QJsonObject paramToJson(const ParamInfo& p)
{
    QJsonObject o{{QStringLiteral("name"), p.name}, {QStringLiteral("type"), toString(p.type)}};
    if (p.defaultValue && p.defaultValue->isUndefined())
        o.insert(QStringLiteral("optional"), true);
    else if (p.defaultValue)
        o.insert(QStringLiteral("default"), *p.defaultValue);
    if (p.variadic)
        o.insert(QStringLiteral("variadic"), true);
    if (!p.description.isEmpty())
        o.insert(QStringLiteral("description"), p.description);
    return o;
}

bool readHandlerKind(JsonFields& handler, const QString& kind, UserMethod* m)
{
    if (kind == u"result") {
        m->kind = UserHandlerKind::Result;
        m->result = handler.has(u"value") ? handler.value(u"value") : QJsonValue(QJsonValue::Null);
        return true;
    }
    if (kind == u"error") {
        m->kind = UserHandlerKind::Error;
        m->error.data = handler.value(u"data"); // Undefined when absent
        const int limit = std::numeric_limits<int>::max();
        return handler.integer(u"code", -limit, limit, &m->error.code, JsonFields::Required,
                               QStringLiteral("an integer error code")) &&
               handler.string(u"message", &m->error.message, JsonFields::Required);
    }
    if (kind == u"script") {
        m->kind = UserHandlerKind::Script;
        return handler.string(u"source", &m->script, JsonFields::Required);
    }
    if (kind == u"subscribe") {
        m->kind = UserHandlerKind::Subscribe;
        SubscribeSettings& s = m->subscription;
        const int limit = std::numeric_limits<int>::max();
        if (!handler.onlyKeys({QStringLiteral("kind"), QStringLiteral("notification"),
                               QStringLiteral("intervalMs"), QStringLiteral("maxEvents"),
                               QStringLiteral("params")}) ||
            !handler.string(u"notification", &s.notification) ||
            !handler.integer(u"intervalMs", 1, limit, &s.intervalMs) ||
            !handler.integer(u"maxEvents", 0, limit, &s.maxEvents))
            return false;
        s.params = handler.value(u"params"); // Undefined when absent: the default template
        if (s.notification.trimmed().isEmpty())
            return handler.fail(u"notification", QStringLiteral("must name a method"));
        return true;
    }
    if (kind == u"unsubscribe") {
        m->kind = UserHandlerKind::Unsubscribe;
        return handler.onlyKeys({QStringLiteral("kind")});
    }
    return handler.fail(QStringLiteral("%1 must be result, error, script, subscribe or unsubscribe, got '%2'")
                            .arg(handler.name(u"kind"), kind));
}

// Which subscription an unsubscribe call names: the first declared parameter, else the params as
// sent (params[0], params.subscription, or the only named param). Null when none is a string.
QJsonValue subscriptionIdOf(const QJsonArray& args, const QJsonValue& sent)
{
    if (!args.isEmpty() && args.first().isString())
        return args.first();
    if (sent.isArray())
        return sent.toArray().first();
    const QJsonObject named = sent.toObject();
    if (named.contains(u"subscription"))
        return named.value(u"subscription");
    return named.size() == 1 ? named.begin().value() : QJsonValue();
}

RpcResult unsubscribeCall(const QJsonArray& args, const QJsonValue& sent)
{
    const QJsonValue id = subscriptionIdOf(args, sent);
    if (!id.isString())
        return RpcResult::failure(ErrorCode::InvalidParams,
                                  QStringLiteral("unsubscribe needs the subscription id as a string: "
                                                 "params[0] or params.subscription"));
    return RpcResult::success(Subscriptions::instance().unsubscribe(id.toString()));
}

// {"kind": "result", "value"} | {"kind": "error", "code", "message", "data"} | {"kind": "script", "source"};
// errors start with "handler: ".
bool readHandler(const QJsonValue& json, UserMethod* m, QString* error)
{
    const QString kind = json.toObject().value(u"kind").toString();
    if (!json.isObject() || kind.isEmpty()) {
        *error = QStringLiteral(
            "'handler' must be an object with a \"kind\": result, error, script, subscribe or unsubscribe");
        return false;
    }
    JsonFields handler(json.toObject());
    if (!readHandlerKind(handler, kind, m)) {
        *error = QStringLiteral("handler: ") + handler.error();
        return false;
    }
    return true;
}

QJsonObject handlerToJson(const UserMethod& m)
{
    switch (m.kind) {
    case UserHandlerKind::Result:
        return {{QStringLiteral("kind"), QStringLiteral("result")}, {QStringLiteral("value"), m.result}};
    case UserHandlerKind::Error: {
        QJsonObject h{{QStringLiteral("kind"), QStringLiteral("error")},
                      {QStringLiteral("code"), m.error.code},
                      {QStringLiteral("message"), m.error.message}};
        if (!m.error.data.isUndefined())
            h.insert(QStringLiteral("data"), m.error.data);
        return h;
    }
    case UserHandlerKind::Script:
        return {{QStringLiteral("kind"), QStringLiteral("script")}, {QStringLiteral("source"), m.script}};
    case UserHandlerKind::Subscribe: {
        const SubscribeSettings& s = m.subscription;
        QJsonObject h{{QStringLiteral("kind"), QStringLiteral("subscribe")},
                      {QStringLiteral("notification"), s.notification},
                      {QStringLiteral("intervalMs"), s.intervalMs},
                      {QStringLiteral("maxEvents"), s.maxEvents}};
        if (!s.params.isUndefined())
            h.insert(QStringLiteral("params"), s.params);
        return h;
    }
    case UserHandlerKind::Unsubscribe:
        return {{QStringLiteral("kind"), QStringLiteral("unsubscribe")}};
    }
    return {};
}

} // namespace

QString toString(UserHandlerKind kind)
{
    switch (kind) {
    case UserHandlerKind::Result:
        return QStringLiteral("result");
    case UserHandlerKind::Error:
        return QStringLiteral("error");
    case UserHandlerKind::Script:
        return QStringLiteral("script");
    case UserHandlerKind::Subscribe:
        return QStringLiteral("subscribe");
    case UserHandlerKind::Unsubscribe:
        return QStringLiteral("unsubscribe");
    }
    return {};
}

MethodInfo UserMethod::info() const
{
    MethodInfo info;
    info.name = name;
    info.description = description;
    info.params = params;
    info.resultType = resultType;
    info.resultDescription = resultDescription;
    info.builtin = false;
    info.enabled = enabled;
    return info;
}

ScriptFunction UserMethod::scriptFunction() const
{
    ScriptFunction fn{name, {}, script};
    for (const ParamInfo& p : params)
        fn.params << p.name;
    return fn;
}

QString UserMethod::validate() const
{
    if (QString problem = validateName(name); !problem.isEmpty())
        return problem;
    QSet<QString> seen;
    for (int i = 0; i < params.size(); ++i) {
        const ParamInfo& p = params.at(i);
        if (QString problem = validateParam(p, i, int(params.size()), kind == UserHandlerKind::Script);
            !problem.isEmpty())
            return problem;
        if (seen.contains(p.name))
            return QStringLiteral("parameter '%1' is declared twice").arg(p.name);
        seen.insert(p.name);
    }
    if (kind == UserHandlerKind::Script && script.trimmed().isEmpty())
        return QStringLiteral("the script is empty (write the function body, e.g. return a + b;)");
    if (kind == UserHandlerKind::Subscribe)
        return subscription.validate();
    return {};
}

void UserMethod::registerInto(MethodRegistry& registry, const std::shared_ptr<ScriptRunner>& scripts) const
{
    switch (kind) {
    case UserHandlerKind::Result:
        registry.addSync(info(), [value = result](const QJsonArray&) { return RpcResult::success(value); });
        return;
    case UserHandlerKind::Error:
        registry.addSync(info(), [e = error](const QJsonArray&) { return RpcResult::failure(e); });
        return;
    case UserHandlerKind::Script:
        registry.add(info(), [scripts, fn = scriptFunction()](const QJsonArray& args, Responder done) {
            if (!scripts) {
                done(RpcResult::failure(ErrorCode::InternalError,
                                        QStringLiteral("scripting is not available")));
                return;
            }
            // Read now: the params as sent are offered only while the handler starts.
            scripts->run(fn, args, CallParams::current(), std::move(done));
        });
        return;
    case UserHandlerKind::Subscribe: // PeerLink::current() is set around every handler's start
        registry.addSync(
            info(), [s = subscription](const QJsonArray&) { return Subscriptions::instance().subscribe(s); });
        return;
    case UserHandlerKind::Unsubscribe: // asynchronous: only those see the params as sent
        registry.add(info(), [](const QJsonArray& args, Responder done) {
            done(unsubscribeCall(args, CallParams::current()));
        });
        return;
    }
}

QJsonObject UserMethod::toJson() const
{
    QJsonArray paramList;
    for (const ParamInfo& p : params)
        paramList.append(paramToJson(p));
    QJsonObject resultObj{{QStringLiteral("type"), toString(resultType)}};
    if (!resultDescription.isEmpty())
        resultObj.insert(QStringLiteral("description"), resultDescription);
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("params"), paramList},
                  {QStringLiteral("result"), resultObj},
                  {QStringLiteral("handler"), handlerToJson(*this)},
                  {QStringLiteral("enabled"), enabled}};
    if (!description.isEmpty())
        o.insert(QStringLiteral("description"), description);
    return o;
}

std::optional<UserMethod> UserMethod::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("a method must be an object");
        return std::nullopt;
    }
    JsonFields fields(json.toObject());
    UserMethod m;
    QJsonArray paramList;
    QJsonObject result;
    if (!fields.string(u"name", &m.name, JsonFields::Required) ||
        !fields.string(u"description", &m.description) || !fields.array(u"params", &paramList) ||
        !fields.object(u"result", &result) || !fields.boolean(u"enabled", &m.enabled)) {
        *error = fields.error();
        return std::nullopt;
    }
    for (qsizetype i = 0; i < paramList.size(); ++i) {
        QString problem;
        auto p = paramFromJson(paramList.at(i), &problem);
        if (!p) {
            *error = QStringLiteral("params[%1]: %2").arg(i).arg(problem);
            return std::nullopt;
        }
        m.params.append(*p);
    }
    JsonFields resultFields(result);
    if (!readType(resultFields, &m.resultType) ||
        !resultFields.string(u"description", &m.resultDescription)) {
        *error = QStringLiteral("result: ") + resultFields.error();
        return std::nullopt;
    }
    if (!readHandler(fields.value(u"handler"), &m, error))
        return std::nullopt;
    if (QString problem = m.validate(); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    return m;
}

bool UserMethod::operator==(const UserMethod& o) const
{
    if (params.size() != o.params.size())
        return false;
    for (qsizetype i = 0; i < params.size(); ++i) {
        const ParamInfo& a = params.at(i);
        const ParamInfo& b = o.params.at(i);
        if (a.name != b.name || a.type != b.type || a.description != b.description ||
            a.variadic != b.variadic || a.defaultValue != b.defaultValue)
            return false;
    }
    return name == o.name && description == o.description && resultType == o.resultType &&
           resultDescription == o.resultDescription && kind == o.kind && result == o.result &&
           error.code == o.error.code && error.message == o.error.message && error.data == o.error.data &&
           script == o.script && subscription == o.subscription && enabled == o.enabled;
}

} // namespace rpcbench
