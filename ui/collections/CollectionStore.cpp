#include "collections/CollectionStore.h"

namespace rpcbench {

CollectionStore::CollectionStore(QObject* parent) : QObject(parent) {}

void CollectionStore::setAll(const QList<Collection>& collections, const Environments& environments)
{
    m_collections = collections;
    m_environments = environments;
    if (!m_environments.contains(m_currentEnvironment))
        setCurrentEnvironment(QString());
    emit reset();
    emit changed();
}

void CollectionStore::setEnvironments(const Environments& environments)
{
    m_environments = environments;
    if (!m_environments.contains(m_currentEnvironment))
        setCurrentEnvironment(QString());
    emit changed();
}

void CollectionStore::setCurrentEnvironment(const QString& name)
{
    if (name == m_currentEnvironment)
        return;
    m_currentEnvironment = name;
    emit currentEnvironmentChanged(name);
}

QList<CollectionItem>* CollectionStore::itemsAt(const ItemAddress& folder)
{
    if (folder.collection < 0 || folder.collection >= m_collections.size())
        return nullptr;
    QList<CollectionItem>* items = &m_collections[folder.collection].items;
    for (const int i : folder.path) {
        if (i < 0 || i >= items->size() || !(*items)[i].isFolder)
            return nullptr;
        items = &(*items)[i].items;
    }
    return items;
}

CollectionItem* CollectionStore::mutableItem(const ItemAddress& at)
{
    if (at.path.isEmpty())
        return nullptr;
    ItemAddress parent{at.collection, at.path.mid(0, at.path.size() - 1)};
    QList<CollectionItem>* items = itemsAt(parent);
    const int row = at.path.last();
    if (!items || row < 0 || row >= items->size())
        return nullptr;
    return &(*items)[row];
}

const CollectionItem* CollectionStore::item(const ItemAddress& at) const
{
    return const_cast<CollectionStore*>(this)->mutableItem(at);
}

int CollectionStore::addCollection(const QString& name)
{
    Collection c;
    c.name = name;
    m_collections << c;
    emit changed();
    return int(m_collections.size() - 1);
}

bool CollectionStore::addItem(const ItemAddress& folder, const CollectionItem& item)
{
    QList<CollectionItem>* items = itemsAt(folder);
    if (!items)
        return false;
    items->append(item);
    emit changed();
    return true;
}

bool CollectionStore::replaceItem(const ItemAddress& at, const CollectionItem& item)
{
    CollectionItem* target = mutableItem(at);
    if (!target)
        return false;
    *target = item;
    emit changed();
    return true;
}

bool CollectionStore::removeItem(const ItemAddress& at)
{
    if (at.path.isEmpty())
        return false;
    QList<CollectionItem>* items = itemsAt({at.collection, at.path.mid(0, at.path.size() - 1)});
    const int row = at.path.last();
    if (!items || row < 0 || row >= items->size())
        return false;
    items->removeAt(row);
    emit changed();
    return true;
}

bool CollectionStore::moveItem(const ItemAddress& from, const ItemAddress& toFolder, int row)
{
    const CollectionItem* moving = item(from);
    if (!moving || !itemsAt(toFolder))
        return false;
    // A folder cannot move into itself or below itself.
    if (from.collection == toFolder.collection && toFolder.path.size() >= from.path.size() &&
        toFolder.path.mid(0, from.path.size()) == from.path)
        return false;
    const CollectionItem copy = *moving;
    const QList<int> fromParent = from.path.mid(0, from.path.size() - 1);
    const bool sameFolder = from.collection == toFolder.collection && fromParent == toFolder.path;
    // Removing first shifts later rows of the same folder (and folders after it) by one.
    ItemAddress target = toFolder;
    if (from.collection == toFolder.collection && target.path.size() > fromParent.size() &&
        target.path.mid(0, fromParent.size()) == fromParent &&
        target.path[fromParent.size()] > from.path.last())
        --target.path[fromParent.size()];
    if (sameFolder && row > from.path.last())
        --row;
    QList<CollectionItem>* source = itemsAt({from.collection, fromParent});
    source->removeAt(from.path.last());
    QList<CollectionItem>* dest = itemsAt(target);
    dest->insert(qBound(0, row, int(dest->size())), copy);
    emit changed();
    return true;
}

bool CollectionStore::duplicateItem(const ItemAddress& at)
{
    const CollectionItem* original = item(at);
    if (!original)
        return false;
    CollectionItem copy = *original;
    if (copy.isFolder)
        copy.folder += QStringLiteral(" copy");
    else
        copy.call.name = copy.call.displayName() + QStringLiteral(" copy");
    QList<CollectionItem>* items = itemsAt({at.collection, at.path.mid(0, at.path.size() - 1)});
    items->insert(at.path.last() + 1, copy);
    emit changed();
    return true;
}

bool CollectionStore::renameItem(const ItemAddress& at, const QString& name)
{
    CollectionItem* target = mutableItem(at);
    if (!target || name.trimmed().isEmpty() || (target->isFolder && name.contains(QLatin1Char('/'))))
        return false;
    if (target->isFolder)
        target->folder = name.trimmed();
    else
        target->call.name = name.trimmed();
    emit changed();
    return true;
}

bool CollectionStore::renameCollection(int index, const QString& name)
{
    if (index < 0 || index >= m_collections.size() || name.trimmed().isEmpty())
        return false;
    m_collections[index].name = name.trimmed();
    emit changed();
    return true;
}

bool CollectionStore::removeCollection(int index)
{
    if (index < 0 || index >= m_collections.size())
        return false;
    m_collections.removeAt(index);
    emit changed();
    return true;
}

bool CollectionStore::insertItem(const ItemAddress& folder, int row, const CollectionItem& item)
{
    QList<CollectionItem>* items = itemsAt(folder);
    if (!items)
        return false;
    items->insert(qBound(0, row, int(items->size())), item);
    emit changed();
    return true;
}

int CollectionStore::insertCollection(int index, const Collection& collection)
{
    index = qBound(0, index, int(m_collections.size()));
    m_collections.insert(index, collection);
    emit changed();
    return index;
}

QString CollectionStore::runPath(const ItemAddress& at) const
{
    if (at.collection < 0 || at.collection >= m_collections.size())
        return {};
    QStringList parts;
    const QList<CollectionItem>* items = &m_collections[at.collection].items;
    for (const int i : at.path) {
        if (!items || i < 0 || i >= items->size())
            return {};
        const CollectionItem& item = (*items)[i];
        parts << item.displayName();
        items = item.isFolder ? &item.items : nullptr;
    }
    return parts.join(QLatin1Char('/'));
}

ItemAddress CollectionStore::saveCall(const QString& collection, const QString& folderPath,
                                      const SavedCall& call)
{
    int c = -1;
    for (int i = 0; i < m_collections.size(); ++i)
        if (m_collections[i].name == collection)
            c = i;
    if (c < 0) {
        Collection fresh;
        fresh.name = collection;
        m_collections << fresh;
        c = int(m_collections.size() - 1);
    }
    ItemAddress at{c, {}};
    for (const QString& part : folderPath.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        QList<CollectionItem>* items = itemsAt(at);
        int found = -1;
        for (int i = 0; i < items->size(); ++i)
            if ((*items)[i].isFolder && (*items)[i].folder == part)
                found = i;
        if (found < 0) {
            items->append(CollectionItem::makeFolder(part));
            found = int(items->size() - 1);
        }
        at.path << found;
    }
    QList<CollectionItem>* items = itemsAt(at);
    items->append(CollectionItem::makeCall(call));
    at.path << int(items->size() - 1);
    emit changed();
    return at;
}

} // namespace rpcbench
