#include "util/JsonPointer.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rpcbench::JsonPointer {

namespace {

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

// An array index token: decimal digits without a leading zero ("-" means past the end, which
// names nothing that exists). -1 when it is not one.
qsizetype arrayIndex(const QString& token)
{
    if (token.isEmpty() || (token.size() > 1 && token.front() == QLatin1Char('0')))
        return -1;
    for (const QChar c : token)
        if (!c.isDigit())
            return -1;
    bool ok = false;
    const qsizetype i = token.toLongLong(&ok);
    return ok ? i : -1;
}

std::optional<QJsonValue> child(const QJsonValue& value, const QString& token)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        const auto it = o.constFind(token);
        return it == o.constEnd() ? std::nullopt : std::optional<QJsonValue>(it.value());
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        const qsizetype i = arrayIndex(token);
        return i < 0 || i >= a.size() ? std::nullopt : std::optional<QJsonValue>(a.at(i));
    }
    return std::nullopt;
}

QJsonValue without(const QJsonValue& value, const QStringList& tokens, qsizetype at)
{
    const QString& token = tokens.at(at);
    const bool last = at + 1 == tokens.size();
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        if (!o.contains(token))
            return value;
        if (last)
            o.remove(token);
        else
            o.insert(token, without(o.value(token), tokens, at + 1));
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        const qsizetype i = arrayIndex(token);
        if (i < 0 || i >= a.size())
            return value;
        if (last)
            a.removeAt(i);
        else
            a.replace(i, without(a.at(i), tokens, at + 1));
        return a;
    }
    return value;
}

} // namespace

bool isValid(const QString& pointer, QString* error)
{
    if (pointer.isEmpty())
        return true;
    if (!pointer.startsWith(QLatin1Char('/')))
        return fail(
            error,
            QStringLiteral("invalid JSON Pointer '%1': it starts with / (e.g. /result/time)").arg(pointer));
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        if (pointer.at(i) != QLatin1Char('~'))
            continue;
        const QChar next = i + 1 < pointer.size() ? pointer.at(i + 1) : QChar();
        if (next != QLatin1Char('0') && next != QLatin1Char('1'))
            return fail(error, QStringLiteral("invalid JSON Pointer '%1': '~' must be written ~0 (and '/' "
                                              "inside a name ~1)")
                                   .arg(pointer));
    }
    return true;
}

std::optional<QStringList> tokens(const QString& pointer, QString* error)
{
    if (!isValid(pointer, error))
        return std::nullopt;
    if (pointer.isEmpty())
        return QStringList{};
    QStringList list = pointer.mid(1).split(QLatin1Char('/'));
    // ~1 first, then ~0, so "~01" becomes "~1" and not "/".
    for (QString& t : list)
        t.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
    return list;
}

std::optional<QJsonValue> find(const QJsonValue& document, const QString& pointer)
{
    const auto path = tokens(pointer);
    if (!path)
        return std::nullopt;
    std::optional<QJsonValue> at = document;
    for (const QString& token : *path) {
        at = child(*at, token);
        if (!at)
            return std::nullopt;
    }
    return at;
}

QJsonValue remove(const QJsonValue& document, const QString& pointer)
{
    const auto path = tokens(pointer);
    if (!path || path->isEmpty())
        return document;
    return without(document, *path, 0);
}

} // namespace rpcbench::JsonPointer
