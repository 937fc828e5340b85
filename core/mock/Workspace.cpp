#include "mock/Workspace.h"

#include "mock/ScriptRunner.h"
#include "server/ServerLimitTable.h"
#include "util/JsonFields.h"
#include "util/JsonFile.h"
#include "util/Log.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace rpcbench {

namespace {

// Keys, ranges and defaults: server/ServerLimitTable.h.
QJsonObject limitsToJson(const ServerLimits& l)
{
    QJsonObject o;
    for (const ServerLimitInfo& limit : serverLimitTable())
        o.insert(QLatin1StringView(limit.key), limit.get(l));
    return o;
}

bool readLimits(JsonFields& server, ServerLimits* l)
{
    JsonFields limits = server.nested(u"limits");
    // The keys a file may have are exactly the ones written.
    static const QStringList known = limitsToJson(ServerLimits{}).keys();
    if (!limits.onlyKeys(known))
        return false;
    for (const ServerLimitInfo& limit : serverLimitTable()) {
        qint64 value = limit.get(*l);
        if (!limits.integer(QString::fromLatin1(limit.key), limit.min, limit.max, &value))
            return false;
        limit.set(*l, value);
    }
    return true;
}

bool readServer(JsonFields& top, WorkspaceServer* s)
{
    JsonFields server = top.nested(u"server");
    if (!server.onlyKeys({QStringLiteral("bind"), QStringLiteral("port"), QStringLiteral("limits"),
                          QStringLiteral("demoMethods"), QStringLiteral("disabledMethods"),
                          QStringLiteral("scriptTimeLimitMs")}) ||
        !server.string(u"bind", &s->bind))
        return false;
    if (QHostAddress(s->bind).isNull())
        return server.fail(u"bind", QStringLiteral("'%1' is not an IP address").arg(s->bind));
    return server.boolean(u"demoMethods", &s->demoMethods) && server.integer(u"port", 0, 65535, &s->port) &&
           server.integer(u"scriptTimeLimitMs", 10, 3'600'000, &s->scriptTimeLimitMs) &&
           readLimits(server, &s->limits) &&
           server.stringList(u"disabledMethods", &s->disabledMethods, JsonFields::Optional,
                             QStringLiteral("an array of method names"));
}

bool readMethods(JsonFields& top, const ScriptRunner* scripts, QList<UserMethod>* out)
{
    QJsonArray list;
    if (!top.array(u"methods", &list))
        return false;
    QSet<QString> names;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString name = list.at(i).toObject().value(u"name").toString();
        const QString where = name.isEmpty()
                                  ? top.elementName(u"methods", i)
                                  : QStringLiteral("%1 '%2'").arg(top.elementName(u"methods", i), name);
        QString problem;
        auto m = UserMethod::fromJson(list.at(i), &problem);
        if (!m)
            return top.fail(QStringLiteral("%1: %2").arg(where, problem));
        if (names.contains(m->name))
            return top.fail(QStringLiteral("%1: a method with this name is defined twice").arg(where));
        names.insert(m->name);
        if (scripts && m->kind == UserHandlerKind::Script) {
            if (auto p = scripts->check(m->scriptFunction()))
                return top.fail(QStringLiteral("%1: script %2").arg(where, p->toString()));
        }
        out->append(*m);
    }
    return true;
}

bool readFaults(JsonFields& top, QMap<QString, FaultSettings>* out)
{
    QJsonObject faults;
    if (!top.object(u"faults", &faults, JsonFields::Optional,
                    QStringLiteral("an object keyed by method name")))
        return false;
    for (auto it = faults.begin(); it != faults.end(); ++it) {
        QString problem;
        auto f = FaultSettings::fromJson(it.value(), &problem);
        if (!f)
            return top.fail(QStringLiteral("faults '%1': %2").arg(it.key(), problem));
        out->insert(it.key(), *f);
    }
    return true;
}

bool readClient(JsonFields& top, WorkspaceClient* c)
{
    JsonFields client = top.nested(u"client");
    if (!client.onlyKeys({QStringLiteral("url"), QStringLiteral("dialect")}) ||
        !client.string(u"url", &c->url) || !client.string(u"dialect", &c->dialect))
        return false;
    static const QStringList dialects = {QStringLiteral("2.0"), QStringLiteral("1.0"),
                                         QStringLiteral("classic")};
    if (!dialects.contains(c->dialect))
        return client.fail(QStringLiteral("%1 must be 2.0, 1.0 or classic, got '%2'")
                               .arg(client.name(u"dialect"), c->dialect));
    return true;
}

// Saved calls and history entries: objects naming a method; the rest belongs to the client.
bool readCalls(JsonFields& top, const QString& key, QJsonArray* out)
{
    QJsonArray list;
    if (!top.array(key, &list))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject call = list.at(i).toObject();
        const QJsonValue params = call.value(u"params");
        if (!list.at(i).isObject() || !call.value(u"method").isString())
            return top.fail(
                QStringLiteral("%1 must be an object with a \"method\" string").arg(top.elementName(key, i)));
        if (!params.isUndefined() && !params.isArray() && !params.isObject())
            return top.fail(
                QStringLiteral("%1.params must be an array or an object").arg(top.elementName(key, i)));
    }
    *out = list;
    return true;
}

bool readHeader(JsonFields& top)
{
    if (top.value(u"format").toString() != QLatin1StringView(Workspace::format))
        return top.fail(QStringLiteral("not an rpcbench workspace (\"format\" must be \"%1\")")
                            .arg(QLatin1StringView(Workspace::format)));
    const QJsonValue version = top.value(u"version");
    if (!version.isDouble() || version.toDouble() != Workspace::version)
        return top.fail(
            QStringLiteral("unsupported workspace version %1 (this rpcbench reads version %2)")
                .arg(version.isUndefined() ? QStringLiteral("(missing)") : version.toVariant().toString())
                .arg(Workspace::version));
    return top.onlyKeys({QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("server"),
                         QStringLiteral("methods"), QStringLiteral("faults"), QStringLiteral("client"),
                         QStringLiteral("savedCalls"), QStringLiteral("history")});
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
    JsonFields top(json.toObject());
    Workspace w;
    const bool ok = readHeader(top) && readServer(top, &w.server) && readMethods(top, scripts, &w.methods) &&
                    readFaults(top, &w.faults) && readClient(top, &w.client) &&
                    readCalls(top, QStringLiteral("savedCalls"), &w.savedCalls) &&
                    readCalls(top, QStringLiteral("history"), &w.history);
    if (!ok) {
        *error = top.error();
        return std::nullopt;
    }
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
    qCDebug(lcMock).noquote() << "workspace" << path
                              << (w ? QStringLiteral("loaded") : "rejected: " + problem);
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
