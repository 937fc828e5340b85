#include "mock/UserMethod.h"

#include "dispatch/MethodRegistry.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
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

// ---- JSON reading helpers: each returns false with *error naming the member. ----

bool readString(const QJsonObject& o, const char* key, QString* out, QString* error, bool required = false)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined() && !required)
        return true;
    if (!v.isString()) {
        *error = QStringLiteral("'%1' must be a string").arg(QLatin1StringView(key));
        return false;
    }
    *out = v.toString();
    return true;
}

bool readType(const QJsonObject& o, ParamType* out, QString* error)
{
    const QJsonValue v = o.value(u"type");
    if (v.isUndefined())
        return true;
    const auto type = paramTypeFromString(v.toString());
    if (!v.isString() || !type) {
        *error =
            QStringLiteral("'type': unknown type '%1' (integer, number, string, boolean, array, object or "
                           "any)")
                .arg(v.toVariant().toString());
        return false;
    }
    *out = *type;
    return true;
}

std::optional<ParamInfo> paramFromJson(const QJsonValue& json, QString* error)
{
    const QJsonObject o = json.toObject();
    ParamInfo p;
    if (!json.isObject()) {
        *error = QStringLiteral("must be an object");
        return std::nullopt;
    }
    if (!readString(o, "name", &p.name, error, true) || !readType(o, &p.type, error) ||
        !readString(o, "description", &p.description, error))
        return std::nullopt;
    p.variadic = o.value(u"variadic").toBool(false);
    if (o.contains(u"default"))
        p.defaultValue = o.value(u"default");
    else if (o.value(u"optional").toBool(false))
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

bool readHandler(const QJsonValue& json, UserMethod* m, QString* error)
{
    const QJsonObject h = json.toObject();
    const QString kind = h.value(u"kind").toString();
    if (!json.isObject() || kind.isEmpty()) {
        *error = QStringLiteral("'handler' must be an object with a \"kind\": result, error or script");
        return false;
    }
    if (kind == u"result") {
        m->kind = UserHandlerKind::Result;
        m->result = h.contains(u"value") ? h.value(u"value") : QJsonValue(QJsonValue::Null);
        return true;
    }
    if (kind == u"error") {
        m->kind = UserHandlerKind::Error;
        const QJsonValue code = h.value(u"code");
        const double d = code.toDouble(0.5);
        if (!code.isDouble() || std::trunc(d) != d || std::abs(d) > std::numeric_limits<int>::max()) {
            *error = QStringLiteral("'handler.code' must be an integer error code");
            return false;
        }
        m->error.code = int(d);
        m->error.data = h.value(u"data"); // Undefined when absent
        return readString(h, "message", &m->error.message, error, true) ||
               (error->prepend(QStringLiteral("handler: ")), false);
    }
    if (kind == u"script") {
        m->kind = UserHandlerKind::Script;
        return readString(h, "source", &m->script, error, true) ||
               (error->prepend(QStringLiteral("handler: ")), false);
    }
    *error = QStringLiteral("'handler.kind' must be result, error or script, got '%1'").arg(kind);
    return false;
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
            scripts->run(fn, args, std::move(done));
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
    const QJsonObject o = json.toObject();
    UserMethod m;
    if (!json.isObject()) {
        *error = QStringLiteral("a method must be an object");
        return std::nullopt;
    }
    if (!readString(o, "name", &m.name, error, true) || !readString(o, "description", &m.description, error))
        return std::nullopt;
    const QJsonValue params = o.value(u"params");
    if (!params.isUndefined() && !params.isArray()) {
        *error = QStringLiteral("'params' must be an array");
        return std::nullopt;
    }
    const QJsonArray paramList = params.toArray();
    for (qsizetype i = 0; i < paramList.size(); ++i) {
        QString problem;
        auto p = paramFromJson(paramList.at(i), &problem);
        if (!p) {
            *error = QStringLiteral("params[%1]: %2").arg(i).arg(problem);
            return std::nullopt;
        }
        m.params.append(*p);
    }
    const QJsonObject result = o.value(u"result").toObject();
    if (!readType(result, &m.resultType, error) ||
        !readString(result, "description", &m.resultDescription, error)) {
        error->prepend(QStringLiteral("result: "));
        return std::nullopt;
    }
    if (!readHandler(o.value(u"handler"), &m, error))
        return std::nullopt;
    m.enabled = o.value(u"enabled").toBool(true);
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
           script == o.script && enabled == o.enabled;
}

} // namespace rpcbench
