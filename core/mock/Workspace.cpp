#include "mock/Workspace.h"

#include "mock/ScriptRunner.h"
#include "server/ServerLimitTable.h"
#include "util/JsonFields.h"
#include "util/JsonFile.h"
#include "util/JsonLocator.h"
#include "util/Log.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>
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

// Extra listening endpoints: [{"url": "unix:/tmp/x.sock"}, {"url": "https://...", "tlsCertificate": ...,
// "tlsKey": ...}]
QJsonArray listenersToJson(const QList<WorkspaceListener>& listeners)
{
    QJsonArray list;
    for (const WorkspaceListener& l : listeners) {
        QJsonObject o{{QStringLiteral("url"), l.url}};
        if (!l.tlsCertificate.isEmpty())
            o.insert(QStringLiteral("tlsCertificate"), l.tlsCertificate);
        if (!l.tlsKey.isEmpty())
            o.insert(QStringLiteral("tlsKey"), l.tlsKey);
        list.append(o);
    }
    return list;
}

bool readListeners(JsonFields& server, QList<WorkspaceListener>* out)
{
    QJsonArray list;
    if (!server.array(u"listen", &list))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = server.elementName(u"listen", i);
        if (!list.at(i).isObject())
            return server.fail(QStringLiteral("%1 must be an object with a \"url\"").arg(where));
        JsonFields item(list.at(i).toObject(), where);
        WorkspaceListener l;
        if (!item.onlyKeys(
                {QStringLiteral("url"), QStringLiteral("tlsCertificate"), QStringLiteral("tlsKey")}) ||
            !item.string(u"url", &l.url, JsonFields::Required) ||
            !item.string(u"tlsCertificate", &l.tlsCertificate) || !item.string(u"tlsKey", &l.tlsKey))
            return server.fail(item.error());
        out->append(l);
    }
    return true;
}

QJsonObject targetToJson(const WorkspaceTarget& target)
{
    const WorkspaceTarget t = target.withoutUnsavedSecrets();
    const ConnectOptions& o = t.options;
    QJsonArray headers;
    for (const auto& h : o.headers)
        headers.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(h.first)},
                                   {QStringLiteral("value"), QString::fromUtf8(h.second)}});
    QJsonObject j{{QStringLiteral("headers"), headers},
                  {QStringLiteral("caCertificates"), QJsonArray::fromStringList(o.caCertificates)},
                  {QStringLiteral("insecure"), o.insecure},
                  {QStringLiteral("clientCertificate"), o.clientCertificate},
                  {QStringLiteral("clientKey"), o.clientKey},
                  {QStringLiteral("sse"), o.sse},
                  {QStringLiteral("maxReplyBytes"), o.maxReplyBytes},
                  {QStringLiteral("workingDirectory"), t.workingDirectory},
                  {QStringLiteral("environment"), QJsonArray::fromStringList(t.environment)},
                  {QStringLiteral("saveSecrets"), t.saveSecrets}};
    if (!t.init.isEmpty())
        j.insert(QStringLiteral("init"), t.init);
    if (!o.bearerToken.isEmpty())
        j.insert(QStringLiteral("bearerToken"), o.bearerToken);
    if (!o.basicUser.isEmpty())
        j.insert(QStringLiteral("user"), o.basicUser);
    return j;
}

bool readHeaders(JsonFields& target, HttpHeaderList* out)
{
    QJsonArray list;
    if (!target.array(u"headers", &list))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject h = list.at(i).toObject();
        QPair<QByteArray, QByteArray> header;
        QString problem;
        if (!h.value(u"name").isString() || !h.value(u"value").isString())
            return target.fail(QStringLiteral("%1 must be an object with \"name\" and \"value\" strings")
                                   .arg(target.elementName(u"headers", i)));
        if (!ConnectOptions::parseHeader(h.value(u"name").toString() + QLatin1String(": ") +
                                             h.value(u"value").toString(),
                                         &header, &problem))
            return target.fail(QStringLiteral("%1: %2").arg(target.elementName(u"headers", i), problem));
        out->append(header);
    }
    return true;
}

// The handshake's shape only: its templates are checked by the client when it runs.
bool readInit(JsonFields& t, QJsonArray* out)
{
    if (!t.array(u"init", out))
        return false;
    for (qsizetype i = 0; i < out->size(); ++i) {
        if (!out->at(i).toObject().value(u"method").isString())
            return t.fail(QStringLiteral("%1 must be an object with a \"method\" string")
                              .arg(t.elementName(u"init", i)));
    }
    return true;
}

bool readTarget(JsonFields& t, WorkspaceTarget* out)
{
    ConnectOptions& o = out->options;
    return t.onlyKeys({QStringLiteral("headers"), QStringLiteral("bearerToken"), QStringLiteral("user"),
                       QStringLiteral("caCertificates"), QStringLiteral("insecure"),
                       QStringLiteral("clientCertificate"), QStringLiteral("clientKey"),
                       QStringLiteral("sse"), QStringLiteral("maxReplyBytes"),
                       QStringLiteral("workingDirectory"), QStringLiteral("environment"),
                       QStringLiteral("saveSecrets"), QStringLiteral("init")}) &&
           readHeaders(t, &o.headers) && t.string(u"bearerToken", &o.bearerToken) &&
           t.string(u"user", &o.basicUser) && t.stringList(u"caCertificates", &o.caCertificates) &&
           t.boolean(u"insecure", &o.insecure) && t.string(u"clientCertificate", &o.clientCertificate) &&
           t.string(u"clientKey", &o.clientKey) && t.boolean(u"sse", &o.sse) &&
           t.integer(u"maxReplyBytes", 1, qint64(1) << 40, &o.maxReplyBytes) &&
           t.string(u"workingDirectory", &out->workingDirectory) &&
           t.stringList(u"environment", &out->environment) && t.boolean(u"saveSecrets", &out->saveSecrets) &&
           readInit(t, &out->init);
}

bool readTargets(JsonFields& client, QMap<QString, WorkspaceTarget>* out)
{
    JsonFields targets =
        client.nested(u"targets", JsonFields::Optional, QStringLiteral("an object keyed by target URL"));
    const QJsonObject all = targets.object();
    for (auto it = all.begin(); it != all.end() && targets.ok(); ++it) {
        JsonFields t = targets.nested(it.key(), JsonFields::Required);
        WorkspaceTarget target;
        if (readTarget(t, &target))
            out->insert(it.key(), target);
    }
    return client.ok();
}

bool readServer(JsonFields& top, WorkspaceServer* s)
{
    JsonFields server = top.nested(u"server");
    if (!server.onlyKeys({QStringLiteral("bind"), QStringLiteral("port"), QStringLiteral("limits"),
                          QStringLiteral("demoMethods"), QStringLiteral("disabledMethods"),
                          QStringLiteral("scriptTimeLimitMs"), QStringLiteral("listen")}) ||
        !server.string(u"bind", &s->bind))
        return false;
    if (QHostAddress(s->bind).isNull())
        return server.fail(u"bind", QStringLiteral("'%1' is not an IP address").arg(s->bind));
    return server.boolean(u"demoMethods", &s->demoMethods) && server.integer(u"port", 0, 65535, &s->port) &&
           server.integer(u"scriptTimeLimitMs", 10, 3'600'000, &s->scriptTimeLimitMs) &&
           readLimits(server, &s->limits) && readListeners(server, &s->listeners) &&
           server.stringList(u"disabledMethods", &s->disabledMethods, JsonFields::Optional,
                             QStringLiteral("an array of method names"));
}

// "methods" of the top level (the server's) or of "client" (the client's own).
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
    QString problem;
    auto map = FaultSettings::mapFromJson(faults, &problem);
    if (!map)
        return top.fail(QStringLiteral("faults.") + problem);
    *out = std::move(*map);
    return true;
}

// A ProxyConfig names its members as a top-level object does ("'upstream': ...", "faults.x:
// ..."); inside the workspace they are members of "proxies[i]".
QString proxyProblem(const QString& where, const QString& problem)
{
    static const QRegularExpression quotedKey(QStringLiteral("^'([^']*)'"));
    const QRegularExpressionMatch m = quotedKey.match(problem);
    if (m.hasMatch())
        return where + QLatin1Char('.') + m.captured(1) + problem.mid(m.capturedLength());
    if (problem.startsWith(u"faults.") || problem.startsWith(u"intercept["))
        return where + QLatin1Char('.') + problem;
    return QStringLiteral("%1: %2").arg(where, problem);
}

bool readProxies(JsonFields& top, QList<ProxyConfig>* out)
{
    QJsonArray list;
    if (!top.array(u"proxies", &list, JsonFields::Optional, QStringLiteral("an array of proxies")))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString problem;
        const auto proxy = ProxyConfig::fromJson(list.at(i), &problem);
        if (!proxy)
            return top.fail(proxyProblem(top.elementName(u"proxies", i), problem));
        out->append(*proxy);
    }
    return true;
}

// Inline collections, or {"file": "x.rpcbench-collection.json"} references that load() resolves.
bool readCollections(JsonFields& top, QList<Collection>* out)
{
    QJsonArray list;
    if (!top.array(u"collections", &list, JsonFields::Optional, QStringLiteral("an array of collections")))
        return false;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        if (o.contains(u"file")) {
            JsonFields ref(o, top.elementName(u"collections", i));
            Collection c;
            if (!ref.onlyKeys({QStringLiteral("file")}) ||
                !ref.string(u"file", &c.file, JsonFields::Required))
                return top.fail(ref.error());
            if (c.file.isEmpty())
                return top.fail(
                    QStringLiteral("%1.file must name a file").arg(top.elementName(u"collections", i)));
            out->append(c);
            continue;
        }
        QString problem;
        const auto c = Collection::fromJson(list.at(i), &problem);
        if (!c) {
            const QString name = o.value(u"name").toString();
            const QString where = top.elementName(u"collections", i) +
                                  (name.isEmpty() ? QString() : QStringLiteral(" '%1'").arg(name));
            return top.fail(QStringLiteral("%1: %2").arg(where, problem));
        }
        out->append(*c);
    }
    return true;
}

bool readEnvironments(JsonFields& top, QMap<QString, QMap<QString, QJsonValue>>* out)
{
    QJsonObject all;
    if (!top.object(u"environments", &all, JsonFields::Optional,
                    QStringLiteral("an object of environments (name: {variable: value})")))
        return false;
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (!it.value().isObject())
            return top.fail(QStringLiteral("environments.%1 must be an object of variables").arg(it.key()));
        QMap<QString, QJsonValue> vars;
        const QJsonObject o = it.value().toObject();
        for (auto v = o.begin(); v != o.end(); ++v)
            vars.insert(v.key(), v.value());
        out->insert(it.key(), vars);
    }
    return true;
}

bool readHold(JsonFields& client, WorkspaceClient* c)
{
    JsonFields hold = client.nested(u"hold", JsonFields::Optional);
    return hold.onlyKeys({QStringLiteral("unanswered"), QStringLiteral("timeoutMs")}) &&
           hold.boolean(u"unanswered", &c->holdUnanswered) &&
           hold.integer(u"timeoutMs", 100, 3'600'000, &c->holdTimeoutMs) && client.ok();
}

bool readClient(JsonFields& top, const ScriptRunner* scripts, WorkspaceClient* c)
{
    JsonFields client = top.nested(u"client");
    if (!client.onlyKeys({QStringLiteral("url"), QStringLiteral("dialect"), QStringLiteral("targets"),
                          QStringLiteral("methods"), QStringLiteral("hold"), QStringLiteral("groupBy")}) ||
        !client.string(u"url", &c->url) || !client.string(u"dialect", &c->dialect) ||
        !readTargets(client, &c->targets) || !readMethods(client, scripts, &c->methods) ||
        !readHold(client, c) || !client.string(u"groupBy", &c->groupBy))
        return false;
    if (!c->groupBy.isEmpty() && !c->groupBy.startsWith(u'/'))
        return client.fail(QStringLiteral("%1 must be a JSON Pointer (starting with /), got '%2'")
                               .arg(client.name(u"groupBy"), c->groupBy));
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
                         QStringLiteral("savedCalls"), QStringLiteral("history"), QStringLiteral("proxies"),
                         QStringLiteral("collections"), QStringLiteral("environments")});
}

} // namespace

WorkspaceTarget WorkspaceTarget::withoutUnsavedSecrets() const
{
    if (saveSecrets)
        return *this;
    WorkspaceTarget t = *this;
    t.options.bearerToken.clear();
    // "NAME:PASSWORD": the name is no secret and saves typing it again.
    t.options.basicUser = t.options.basicUser.section(QLatin1Char(':'), 0, 0);
    t.options.headers.removeIf([](const auto& h) { return ConnectOptions::isSecretHeader(h.first); });
    return t;
}

QJsonObject Workspace::toJson() const
{
    QJsonObject serverObj{
        {QStringLiteral("bind"), server.bind},
        {QStringLiteral("port"), server.port},
        {QStringLiteral("limits"), limitsToJson(server.limits)},
        {QStringLiteral("demoMethods"), server.demoMethods},
        {QStringLiteral("disabledMethods"), QJsonArray::fromStringList(server.disabledMethods)},
        {QStringLiteral("scriptTimeLimitMs"), server.scriptTimeLimitMs}};
    if (!server.listeners.isEmpty()) // absent rather than empty: older rpcbench reads the file
        serverObj.insert(QStringLiteral("listen"), listenersToJson(server.listeners));
    QJsonObject clientObj{{QStringLiteral("url"), client.url}, {QStringLiteral("dialect"), client.dialect}};
    if (!client.targets.isEmpty()) {
        QJsonObject targets;
        for (auto it = client.targets.begin(); it != client.targets.end(); ++it)
            targets.insert(it.key(), targetToJson(it.value()));
        clientObj.insert(QStringLiteral("targets"), targets);
    }
    // Absent rather than empty or default, as "listen": older files stay as they were.
    if (!client.methods.isEmpty()) {
        QJsonArray list;
        for (const UserMethod& m : client.methods)
            list.append(m.toJson());
        clientObj.insert(QStringLiteral("methods"), list);
    }
    if (!client.holdUnanswered || client.holdTimeoutMs != 60'000)
        clientObj.insert(QStringLiteral("hold"),
                         QJsonObject{{QStringLiteral("unanswered"), client.holdUnanswered},
                                     {QStringLiteral("timeoutMs"), client.holdTimeoutMs}});
    if (!client.groupBy.isEmpty())
        clientObj.insert(QStringLiteral("groupBy"), client.groupBy);
    QJsonArray methodList;
    for (const UserMethod& m : methods)
        methodList.append(m.toJson());
    QJsonObject top{{QStringLiteral("format"), QLatin1StringView(format)},
                    {QStringLiteral("version"), version},
                    {QStringLiteral("server"), serverObj},
                    {QStringLiteral("methods"), methodList},
                    {QStringLiteral("faults"), FaultSettings::mapToJson(faults)},
                    {QStringLiteral("client"), clientObj},
                    {QStringLiteral("savedCalls"), savedCalls},
                    {QStringLiteral("history"), history}};
    // Absent rather than empty, as "listen": files without proxies stay as they were.
    if (!proxies.isEmpty()) {
        QJsonArray list;
        for (const ProxyConfig& p : proxies)
            list.append(p.toJson());
        top.insert(QStringLiteral("proxies"), list);
    }
    if (!collections.isEmpty()) {
        QJsonArray list;
        for (const Collection& c : collections)
            list.append(c.file.isEmpty() ? c.toJson() : QJsonObject{{QStringLiteral("file"), c.file}});
        top.insert(QStringLiteral("collections"), list);
    }
    if (!environments.isEmpty()) {
        QJsonObject envs;
        for (auto it = environments.begin(); it != environments.end(); ++it) {
            QJsonObject vars;
            for (auto v = it.value().begin(); v != it.value().end(); ++v)
                vars.insert(v.key(), v.value());
            envs.insert(it.key(), vars);
        }
        top.insert(QStringLiteral("environments"), envs);
    }
    return top;
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
                    readFaults(top, &w.faults) && readClient(top, scripts, &w.client) &&
                    readCalls(top, QStringLiteral("savedCalls"), &w.savedCalls) &&
                    readCalls(top, QStringLiteral("history"), &w.history) && readProxies(top, &w.proxies) &&
                    readCollections(top, &w.collections) && readEnvironments(top, &w.environments);
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
    QByteArray bytes;
    auto doc = JsonFile::read(path, error, JsonFile::DefaultMaxBytes, &bytes);
    if (!doc)
        return std::nullopt;
    QString problem;
    auto w =
        fromJson(doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()), scripts, &problem);
    if (!w)
        problem = JsonLocator::withLine(bytes, problem);
    else if (!w->loadCollectionFiles(QFileInfo(path).absolutePath(), &problem))
        w.reset();
    if (!w)
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), problem);
    qCDebug(lcMock).noquote() << "workspace" << path
                              << (w ? QStringLiteral("loaded") : "rejected: " + problem);
    return w;
}

bool Workspace::loadCollectionFiles(const QString& baseDir, QString* error)
{
    for (qsizetype i = 0; i < collections.size(); ++i) {
        Collection& c = collections[i];
        if (c.file.isEmpty() || !c.items.isEmpty() || !c.name.isEmpty())
            continue; // inline, or loaded already
        QString problem;
        auto loaded = Collection::load(QDir(baseDir).filePath(c.file), &problem);
        if (!loaded) {
            *error = QStringLiteral("collections[%1]: %2").arg(i).arg(problem);
            return false;
        }
        loaded->file = c.file; // as the workspace names it (relative stays relative)
        c = *loaded;
    }
    return true;
}

bool Workspace::saveCollectionFiles(const QString& baseDir, QString* error) const
{
    for (const Collection& c : collections)
        if (!c.file.isEmpty() && !c.name.isEmpty() && !c.save(QDir(baseDir).filePath(c.file), error))
            return false;
    return true;
}

bool Workspace::save(const QString& path, QString* error) const
{
    // The collections in files of their own first: the workspace only names them.
    if (!saveCollectionFiles(QFileInfo(path).absolutePath(), error))
        return false;
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
