#include "collection/Collection.h"

#include "util/JsonFields.h"
#include "util/JsonFile.h"
#include "util/JsonLocator.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace rpcbench {

namespace {

constexpr int MaxFolderDepth = 32;

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

QString itemName(const QString& path, qsizetype index, const QJsonValue& item)
{
    const QJsonObject o = item.toObject();
    QString label = o.value(QLatin1String("folder")).toString();
    if (label.isEmpty())
        label = o.value(QLatin1String("name")).toString(o.value(QLatin1String("method")).toString());
    const QString at = QStringLiteral("%1[%2]").arg(path).arg(index);
    return label.isEmpty() ? at : QStringLiteral("%1 '%2'").arg(at, label);
}

bool readItems(const QJsonArray& list, const QString& path, int depth, QList<CollectionItem>* out,
               QString* error);

std::optional<CollectionItem> readFolder(const QJsonObject& o, const QString& at, int depth, QString* error)
{
    if (depth > MaxFolderDepth) {
        fail(error, QStringLiteral("%1: folders nest deeper than %2").arg(at).arg(MaxFolderDepth));
        return std::nullopt;
    }
    JsonFields f(o, at);
    CollectionItem item;
    item.isFolder = true;
    QJsonArray items;
    f.onlyKeys({QStringLiteral("folder"), QStringLiteral("description"), QStringLiteral("items")});
    f.string(u"folder", &item.folder, JsonFields::Required);
    f.string(u"description", &item.description);
    f.array(u"items", &items);
    if (f.ok() && item.folder.isEmpty())
        f.fail(u"folder", QStringLiteral("must not be empty"));
    if (f.ok() && item.folder.contains(QLatin1Char('/')))
        f.fail(u"folder", QStringLiteral("must not contain '/' (it separates folders in a path)"));
    if (!f.ok()) {
        fail(error, f.error());
        return std::nullopt;
    }
    if (!readItems(items, at + QStringLiteral(".items"), depth + 1, &item.items, error))
        return std::nullopt;
    return item;
}

bool readItems(const QJsonArray& list, const QString& path, int depth, QList<CollectionItem>* out,
               QString* error)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = itemName(path, i, list.at(i));
        const QJsonObject o = list.at(i).toObject();
        if (list.at(i).isObject() && o.contains(QLatin1String("folder"))) {
            const auto folder = readFolder(o, at, depth, error);
            if (!folder)
                return false;
            *out << *folder;
            continue;
        }
        QString why;
        const auto call = SavedCall::fromJson(list.at(i), &why);
        if (!call)
            return fail(error, QStringLiteral("%1: %2").arg(at, why));
        *out << CollectionItem::makeCall(*call);
    }
    return true;
}

QJsonArray writeItems(const QList<CollectionItem>& items)
{
    QJsonArray list;
    for (const CollectionItem& item : items) {
        if (!item.isFolder) {
            list.append(item.call.toJson());
            continue;
        }
        QJsonObject o{{QLatin1String("folder"), item.folder}};
        if (!item.description.isEmpty())
            o.insert(QLatin1String("description"), item.description);
        o.insert(QLatin1String("items"), writeItems(item.items));
        list.append(o);
    }
    return list;
}

void collect(const QList<CollectionItem>& items, const QString& prefix, QList<Collection::Entry>* out)
{
    for (const CollectionItem& item : items) {
        if (item.isFolder)
            collect(item.items, prefix + item.folder + QLatin1Char('/'), out);
        else
            out->append({prefix + item.call.displayName(), &item.call});
    }
}

} // namespace

CollectionItem CollectionItem::makeFolder(const QString& name, QList<CollectionItem> items)
{
    CollectionItem item;
    item.isFolder = true;
    item.folder = name;
    item.items = std::move(items);
    return item;
}

bool CollectionItem::operator==(const CollectionItem& other) const
{
    if (isFolder != other.isFolder || folder != other.folder || description != other.description ||
        !(call == other.call) || items.size() != other.items.size())
        return false;
    return std::equal(items.begin(), items.end(), other.items.begin());
}

CollectionItem CollectionItem::makeCall(const SavedCall& call)
{
    CollectionItem item;
    item.call = call;
    return item;
}

QList<Collection::Entry> Collection::calls() const
{
    QList<Entry> out;
    collect(items, QString(), &out);
    return out;
}

const QList<CollectionItem>* Collection::folderItems(const QString& path) const
{
    const QList<CollectionItem>* level = &items;
    for (const QString& part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const auto it = std::find_if(level->begin(), level->end(),
                                     [&](const CollectionItem& i) { return i.isFolder && i.folder == part; });
        if (it == level->end())
            return nullptr;
        level = &it->items;
    }
    return level;
}

QJsonObject Collection::toJson() const
{
    QJsonObject o{{QLatin1String("name"), name}, {QLatin1String("items"), writeItems(items)}};
    if (!description.isEmpty())
        o.insert(QLatin1String("description"), description);
    if (!variables.isEmpty()) {
        QJsonObject vars;
        for (auto it = variables.begin(); it != variables.end(); ++it)
            vars.insert(it.key(), it.value());
        o.insert(QLatin1String("variables"), vars);
    }
    return o;
}

std::optional<Collection> Collection::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        fail(error, QStringLiteral("a collection is an object with \"name\" and \"items\""));
        return std::nullopt;
    }
    JsonFields f(json.toObject());
    Collection c;
    QJsonObject vars;
    QJsonArray items;
    f.onlyKeys({QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("variables"),
                QStringLiteral("items"), QStringLiteral("format"), QStringLiteral("version")});
    f.string(u"name", &c.name, JsonFields::Required);
    f.string(u"description", &c.description);
    f.object(u"variables", &vars);
    f.array(u"items", &items);
    if (!f.ok()) {
        fail(error, f.error());
        return std::nullopt;
    }
    for (auto it = vars.begin(); it != vars.end(); ++it)
        c.variables.insert(it.key(), it.value());
    if (!readItems(items, QStringLiteral("items"), 0, &c.items, error))
        return std::nullopt;
    return c;
}

QByteArray Collection::toFileBytes() const
{
    QJsonObject o = toJson();
    o.insert(QLatin1String("format"), QLatin1String(format));
    o.insert(QLatin1String("version"), version);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<Collection> Collection::load(const QString& path, QString* error)
{
    const QString name = QFileInfo(path).fileName();
    QByteArray bytes;
    const auto doc = JsonFile::read(path, error, JsonFile::DefaultMaxBytes, &bytes);
    if (!doc)
        return std::nullopt;
    const QJsonObject o = doc->object();
    if (o.value(QLatin1String("format")).toString() != QLatin1String(format)) {
        fail(error, QStringLiteral("%1: not an rpcbench collection (\"format\" must be \"%2\")")
                        .arg(name, QLatin1String(format)));
        return std::nullopt;
    }
    if (o.value(QLatin1String("version")).toInt(-1) != version) {
        fail(error, QStringLiteral("%1: unsupported collection version %2 (this rpcbench reads version %3)")
                        .arg(name, QString::number(o.value(QLatin1String("version")).toInt(-1)))
                        .arg(version));
        return std::nullopt;
    }
    QString why;
    auto c = fromJson(o, &why);
    if (!c) {
        fail(error, QStringLiteral("%1: %2").arg(name, JsonLocator::withLine(bytes, why)));
        return std::nullopt;
    }
    c->file = path;
    return c;
}

bool Collection::save(const QString& path, QString* error) const
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(toFileBytes()) < 0 || !out.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
    return true;
}

} // namespace rpcbench
