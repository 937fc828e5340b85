#include "mock/Workspace.h"

#include "mock/ScriptRunner.h"
#include "util/JsonFile.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <cmath>
#include <functional>

namespace rpcbench {

namespace {

bool unknownKeys(const QJsonObject& o, const QStringList& known, const QString& where, QString* error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key())) {
            *error = QStringLiteral("%1: unknown key '%2'").arg(where, it.key());
            return true;
        }
    }
    return false;
}

bool readNumber(const QJsonObject& o, const QString& key, qint64 min, qint64 max, qint64* out,
                const QString& where, QString* error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    const double d = v.toDouble(0.5);
    if (!v.isDouble() || std::trunc(d) != d || d < double(min) || d > double(max)) {
        *error =
            QStringLiteral("%1.%2 must be an integer between %3 and %4").arg(where, key).arg(min).arg(max);
        return false;
    }
    *out = qint64(d);
    return true;
}

template <class T>
bool readInto(const QJsonObject& o, const QString& key, qint64 min, qint64 max, T* out, const QString& where,
              QString* error)
{
    qint64 v = qint64(*out);
    if (!readNumber(o, key, min, max, &v, where, error))
        return false;
    *out = T(v);
    return true;
}

QJsonObject limitsToJson(const ServerLimits& l)
{
    return {{QStringLiteral("maxMessageBytes"), l.maxMessageBytes},
            {QStringLiteral("maxHeaderBytes"), l.maxHeaderBytes},
            {QStringLiteral("idleTimeoutMs"), l.idleTimeoutMs},
            {QStringLiteral("keepAliveTimeoutMs"), l.keepAliveTimeoutMs},
            {QStringLiteral("maxConnections"), l.maxConnections},
            {QStringLiteral("handlerTimeoutMs"), l.handlerTimeoutMs},
            {QStringLiteral("maxPendingReplyBytes"), l.maxPendingReplyBytes},
            {QStringLiteral("maxJsonDepth"), l.maxJsonDepth}};
}

bool readLimits(const QJsonValue& v, ServerLimits* l, QString* error)
{
    const QString where = QStringLiteral("server.limits");
    if (v.isUndefined())
        return true;
    const QJsonObject o = v.toObject();
    if (!v.isObject()) {
        *error = where + QStringLiteral(" must be an object");
        return false;
    }
    constexpr qint64 day = 86'400'000;
    // The keys a file may have are exactly the ones written.
    static const QStringList known = limitsToJson(ServerLimits{}).keys();
    return !unknownKeys(o, known, where, error) &&
           readInto(o, QStringLiteral("maxMessageBytes"), 64, qint64(1) << 31, &l->maxMessageBytes, where,
                    error) &&
           readInto(o, QStringLiteral("maxHeaderBytes"), 256, qint64(1) << 24, &l->maxHeaderBytes, where,
                    error) &&
           readInto(o, QStringLiteral("idleTimeoutMs"), 1, day, &l->idleTimeoutMs, where, error) &&
           readInto(o, QStringLiteral("keepAliveTimeoutMs"), 0, day, &l->keepAliveTimeoutMs, where, error) &&
           readInto(o, QStringLiteral("maxConnections"), 1, 1'000'000, &l->maxConnections, where, error) &&
           readInto(o, QStringLiteral("handlerTimeoutMs"), 1, day, &l->handlerTimeoutMs, where, error) &&
           readInto(o, QStringLiteral("maxPendingReplyBytes"), 1024, qint64(1) << 31,
                    &l->maxPendingReplyBytes, where, error) &&
           readInto(o, QStringLiteral("maxJsonDepth"), 1, 100'000, &l->maxJsonDepth, where, error);
}

bool readStringList(const QJsonValue& v, const QString& where, QStringList* out, QString* error)
{
    if (v.isUndefined())
        return true;
    if (!v.isArray()) {
        *error = where + QStringLiteral(" must be an array of method names");
        return false;
    }
    for (const QJsonValue& item : v.toArray()) {
        if (!item.isString()) {
            *error = where + QStringLiteral(" must contain only strings");
            return false;
        }
        out->append(item.toString());
    }
    return true;
}

bool readServer(const QJsonValue& v, WorkspaceServer* s, QString* error)
{
    if (v.isUndefined())
        return true;
    const QJsonObject o = v.toObject();
    const QString where = QStringLiteral("server");
    if (!v.isObject()) {
        *error = QStringLiteral("'server' must be an object");
        return false;
    }
    if (unknownKeys(o,
                    {QStringLiteral("bind"), QStringLiteral("port"), QStringLiteral("limits"),
                     QStringLiteral("demoMethods"), QStringLiteral("disabledMethods"),
                     QStringLiteral("scriptTimeLimitMs")},
                    where, error))
        return false;
    if (o.contains(u"bind")) {
        s->bind = o.value(u"bind").toString();
        if (QHostAddress(s->bind).isNull()) {
            *error = QStringLiteral("server.bind: '%1' is not an IP address")
                         .arg(o.value(u"bind").toVariant().toString());
            return false;
        }
    }
    const QJsonValue demo = o.value(u"demoMethods");
    if (!demo.isUndefined() && !demo.isBool()) {
        *error = QStringLiteral("server.demoMethods must be true or false");
        return false;
    }
    s->demoMethods = demo.toBool(true);
    return readInto(o, QStringLiteral("port"), 0, 65535, &s->port, where, error) &&
           readInto(o, QStringLiteral("scriptTimeLimitMs"), 10, 3'600'000, &s->scriptTimeLimitMs, where,
                    error) &&
           readLimits(o.value(u"limits"), &s->limits, error) &&
           readStringList(o.value(u"disabledMethods"), QStringLiteral("server.disabledMethods"),
                          &s->disabledMethods, error);
}

bool readMethods(const QJsonValue& v, const ScriptRunner* scripts, QList<UserMethod>* out, QString* error)
{
    if (v.isUndefined())
        return true;
    if (!v.isArray()) {
        *error = QStringLiteral("'methods' must be an array");
        return false;
    }
    const QJsonArray list = v.toArray();
    QSet<QString> names;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString name = list.at(i).toObject().value(u"name").toString();
        const QString where = name.isEmpty() ? QStringLiteral("methods[%1]").arg(i)
                                             : QStringLiteral("methods[%1] '%2'").arg(i).arg(name);
        QString problem;
        auto m = UserMethod::fromJson(list.at(i), &problem);
        if (!m) {
            *error = QStringLiteral("%1: %2").arg(where, problem);
            return false;
        }
        if (names.contains(m->name)) {
            *error = QStringLiteral("%1: a method with this name is defined twice").arg(where);
            return false;
        }
        names.insert(m->name);
        if (scripts && m->kind == UserHandlerKind::Script) {
            if (auto p = scripts->check(m->scriptFunction())) {
                *error = QStringLiteral("%1: script %2").arg(where, p->toString());
                return false;
            }
        }
        out->append(*m);
    }
    return true;
}

bool readFaults(const QJsonValue& v, QMap<QString, FaultSettings>* out, QString* error)
{
    if (v.isUndefined())
        return true;
    if (!v.isObject()) {
        *error = QStringLiteral("'faults' must be an object keyed by method name");
        return false;
    }
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        QString problem;
        auto f = FaultSettings::fromJson(it.value(), &problem);
        if (!f) {
            *error = QStringLiteral("faults '%1': %2").arg(it.key(), problem);
            return false;
        }
        out->insert(it.key(), *f);
    }
    return true;
}

bool readClient(const QJsonValue& v, WorkspaceClient* c, QString* error)
{
    if (v.isUndefined())
        return true;
    const QJsonObject o = v.toObject();
    if (!v.isObject() ||
        unknownKeys(o, {QStringLiteral("url"), QStringLiteral("dialect")}, QStringLiteral("client"), error)) {
        if (!v.isObject())
            *error = QStringLiteral("'client' must be an object");
        return false;
    }
    c->url = o.value(u"url").toString();
    c->dialect = o.value(u"dialect").toString(c->dialect);
    static const QStringList dialects = {QStringLiteral("2.0"), QStringLiteral("1.0"),
                                         QStringLiteral("classic")};
    if (!dialects.contains(c->dialect)) {
        *error = QStringLiteral("client.dialect must be 2.0, 1.0 or classic, got '%1'").arg(c->dialect);
        return false;
    }
    return true;
}

// Saved calls and history entries: objects naming a method; the rest belongs to the client.
bool readCalls(const QJsonValue& v, const QString& key, QJsonArray* out, QString* error)
{
    if (v.isUndefined())
        return true;
    if (!v.isArray()) {
        *error = QStringLiteral("'%1' must be an array").arg(key);
        return false;
    }
    const QJsonArray list = v.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject call = list.at(i).toObject();
        const QJsonValue params = call.value(u"params");
        if (!list.at(i).isObject() || !call.value(u"method").isString()) {
            *error = QStringLiteral("%1[%2] must be an object with a \"method\" string").arg(key).arg(i);
            return false;
        }
        if (!params.isUndefined() && !params.isArray() && !params.isObject()) {
            *error = QStringLiteral("%1[%2].params must be an array or an object").arg(key).arg(i);
            return false;
        }
    }
    *out = list;
    return true;
}

bool readHeader(const QJsonObject& o, QString* error)
{
    if (o.value(u"format").toString() != QLatin1StringView(Workspace::format)) {
        *error = QStringLiteral("not an rpcbench workspace (\"format\" must be \"%1\")")
                     .arg(QLatin1StringView(Workspace::format));
        return false;
    }
    const QJsonValue version = o.value(u"version");
    if (!version.isDouble() || version.toDouble() != Workspace::version) {
        *error =
            QStringLiteral("unsupported workspace version %1 (this rpcbench reads version %2)")
                .arg(version.isUndefined() ? QStringLiteral("(missing)") : version.toVariant().toString())
                .arg(Workspace::version);
        return false;
    }
    return !unknownKeys(o,
                        {QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("server"),
                         QStringLiteral("methods"), QStringLiteral("faults"), QStringLiteral("client"),
                         QStringLiteral("savedCalls"), QStringLiteral("history")},
                        QStringLiteral("workspace"), error);
}

} // namespace

QJsonObject Workspace::toJson() const
{
    QJsonObject serverObj{
        {QStringLiteral("bind"), server.bind},
        {QStringLiteral("port"), server.port},
        {QStringLiteral("limits"), limitsToJson(server.limits)},
        {QStringLiteral("demoMethods"), server.demoMethods},
        {QStringLiteral("disabledMethods"), QJsonArray::fromStringList(server.disabledMethods)},
        {QStringLiteral("scriptTimeLimitMs"), server.scriptTimeLimitMs}};
    QJsonArray methodList;
    for (const UserMethod& m : methods)
        methodList.append(m.toJson());
    QJsonObject faultObj;
    for (auto it = faults.begin(); it != faults.end(); ++it)
        faultObj.insert(it.key(), it.value().toJson());
    return {{QStringLiteral("format"), QLatin1StringView(format)},
            {QStringLiteral("version"), version},
            {QStringLiteral("server"), serverObj},
            {QStringLiteral("methods"), methodList},
            {QStringLiteral("faults"), faultObj},
            {QStringLiteral("client"),
             QJsonObject{{QStringLiteral("url"), client.url}, {QStringLiteral("dialect"), client.dialect}}},
            {QStringLiteral("savedCalls"), savedCalls},
            {QStringLiteral("history"), history}};
}

QByteArray Workspace::toBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

std::optional<Workspace> Workspace::fromJson(const QJsonValue& json, const ScriptRunner* scripts,
                                             QString* error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("not an rpcbench workspace: the top level must be a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = json.toObject();
    Workspace w;
    if (!readHeader(o, error) || !readServer(o.value(u"server"), &w.server, error) ||
        !readMethods(o.value(u"methods"), scripts, &w.methods, error) ||
        !readFaults(o.value(u"faults"), &w.faults, error) ||
        !readClient(o.value(u"client"), &w.client, error) ||
        !readCalls(o.value(u"savedCalls"), QStringLiteral("savedCalls"), &w.savedCalls, error) ||
        !readCalls(o.value(u"history"), QStringLiteral("history"), &w.history, error))
        return std::nullopt;
    return w;
}

std::optional<Workspace> Workspace::fromBytes(const QByteArray& bytes, const ScriptRunner* scripts,
                                              QString* error)
{
    auto doc = JsonFile::parse(bytes, error);
    if (!doc)
        return std::nullopt;
    return fromJson(doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()), scripts, error);
}

std::optional<Workspace> Workspace::load(const QString& path, const ScriptRunner* scripts, QString* error)
{
    auto doc = JsonFile::read(path, error);
    if (!doc)
        return std::nullopt;
    QString problem;
    auto w =
        fromJson(doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()), scripts, &problem);
    if (!w)
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), problem);
    return w;
}

bool Workspace::save(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(toBytes());
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace rpcbench
