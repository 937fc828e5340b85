#include "dispatch/Binder.h"

#include <QStringList>

namespace rpcbench {

namespace {

RpcError invalid(const QString& message)
{
    return RpcError{ErrorCode::InvalidParams, message, QJsonValue::Undefined};
}

QString typeMismatch(const QString& what, ParamType expected, const QJsonValue& got)
{
    return QStringLiteral("parameter '%1' must be %2, got %3")
        .arg(what, withArticle(expected), jsonTypeName(got));
}

// Checks every element a variadic parameter collected.
std::optional<RpcError> checkItems(const ParamInfo& p, const QJsonArray& items)
{
    if (p.type == ParamType::Any)
        return std::nullopt;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue v = items.at(i);
        if (!valueMatches(p.type, v))
            return invalid(typeMismatch(QStringLiteral("%1[%2]").arg(p.name).arg(i), p.type, v));
    }
    return std::nullopt;
}

QString quotedList(const QStringList& names)
{
    QStringList quoted;
    for (const QString& n : names)
        quoted << QLatin1Char('\'') + n + QLatin1Char('\'');
    if (quoted.size() == 1)
        return quoted.first();
    const QString last = quoted.takeLast();
    return quoted.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
}

// bind() after its fast path, and check(): every problem goes to *problems, in Python's order
// of complaints (too many positionals, unknown names, duplicates, missing, then types); with
// `stopAtFirst` it returns after the first one. The arguments are only complete without problems.
QJsonArray bindGeneral(const MethodInfo& method, const QJsonArray& positional, const QJsonObject& named,
                       bool stopAtFirst, QStringList* problems)
{
    const QList<ParamInfo>& params = method.params;
    const qsizetype count = params.size();
    const bool hasVariadic = count > 0 && params.last().variadic;
    const qsizetype fixed = hasVariadic ? count - 1 : count;
    // Records a problem; true when binding should stop there.
    const auto problem = [&](const QString& message) {
        problems->append(message);
        return stopAtFirst;
    };

    if (!hasVariadic && positional.size() > fixed &&
        problem(QStringLiteral("too many positional parameters: %1 takes at most %2, got %3")
                    .arg(method.name)
                    .arg(fixed)
                    .arg(positional.size())))
        return {};

    // Slot per declared parameter; Undefined = not given yet.
    QList<QJsonValue> given(count, QJsonValue(QJsonValue::Undefined));
    const qsizetype byPosition = std::min(positional.size(), fixed);
    for (qsizetype i = 0; i < byPosition; ++i)
        given[i] = positional.at(i);
    if (hasVariadic) {
        QJsonArray rest;
        for (qsizetype i = fixed; i < positional.size(); ++i)
            rest.append(positional.at(i));
        if (!rest.isEmpty())
            given[fixed] = rest;
    }

    for (auto it = named.constBegin(); it != named.constEnd(); ++it) {
        const QString key = it.key();
        qsizetype index = -1;
        for (qsizetype i = 0; i < count; ++i) {
            if (params[i].name == key) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            if (problem(QStringLiteral("unexpected parameter '%1'").arg(key)))
                return {};
            continue;
        }
        if (!given[index].isUndefined()) {
            if (problem(QStringLiteral("parameter '%1' given twice (by position and by name)").arg(key)))
                return {};
            continue;
        }
        // By name, a variadic parameter takes its whole list at once.
        if (params[index].variadic && !it.value().isArray() &&
            problem(typeMismatch(key, ParamType::Array, it.value())))
            return {};
        given[index] = it.value();
    }

    QStringList missing;
    for (qsizetype i = 0; i < count; ++i) {
        if (given[i].isUndefined() && params[i].isRequired())
            missing << params[i].name;
    }
    if (!missing.isEmpty() &&
        problem(QStringLiteral("missing required parameter%1 %2")
                    .arg(missing.size() > 1 ? QStringLiteral("s") : QString(), quotedList(missing))))
        return {};

    // Types, then defaults. Absent optional parameters without a default stay absent: the
    // array is cut after the last present argument (QJsonArray cannot hold Undefined).
    QJsonArray args;
    qsizetype lastPresent = -1;
    for (qsizetype i = 0; i < count; ++i) {
        const ParamInfo& p = params[i];
        QJsonValue v = given[i];
        if (v.isUndefined()) {
            v = p.variadic ? QJsonValue(QJsonArray()) : p.defaultValue.value_or(QJsonValue::Undefined);
        } else if (p.variadic) {
            if (auto error = checkItems(p, v.toArray()); error && problem(error->message))
                return {};
        } else if (!valueMatches(p.type, v) && problem(typeMismatch(p.name, p.type, v))) {
            return {};
        }
        if (!v.isUndefined())
            lastPresent = i;
        args.append(v);
    }
    while (args.size() > lastPresent + 1)
        args.removeLast();
    return args;
}

} // namespace

std::variant<QJsonArray, RpcError> Binder::bind(const MethodInfo& method, const QJsonArray& positional,
                                                const QJsonObject& named)
{
    if (method.takesAnyParams())
        return QJsonArray();
    const QList<ParamInfo>& params = method.params;
    const qsizetype count = params.size();
    const bool hasVariadic = count > 0 && params.last().variadic;

    // Fast path (the common case): all parameters by position, nothing to fill in. The
    // array is returned as is (implicitly shared, no copy).
    if (named.isEmpty() && !hasVariadic && positional.size() == count) {
        for (qsizetype i = 0; i < count; ++i) {
            const QJsonValue v = positional.at(i);
            if (!valueMatches(params[i].type, v))
                return invalid(typeMismatch(params[i].name, params[i].type, v));
        }
        return positional;
    }
    QStringList problems;
    QJsonArray args = bindGeneral(method, positional, named, true, &problems);
    if (!problems.isEmpty())
        return invalid(problems.first());
    return args;
}

QStringList Binder::check(const MethodInfo& method, const QJsonValue& params)
{
    QStringList problems;
    if (method.takesAnyParams())
        return problems;
    if (params.isArray())
        bindGeneral(method, params.toArray(), {}, false, &problems);
    else if (params.isObject())
        bindGeneral(method, {}, params.toObject(), false, &problems);
    else if (params.isUndefined() || params.isNull())
        bindGeneral(method, {}, {}, false, &problems);
    else
        problems << QStringLiteral("params must be an array (by position) or an object (by name)");
    return problems;
}

} // namespace rpcbench
