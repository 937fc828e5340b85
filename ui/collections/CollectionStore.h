#pragma once
// The workspace's collections and environments while the window runs: the Collections panel
// edits them, "Save to collection" (composer, history, traffic log) adds to them, the workspace
// saves and loads them (WorkspaceController). Every change emits changed() so the workspace
// counts it as unsaved work. Items are addressed by collection index and a path of item indexes
// (folders nest), e.g. {0, {2, 1}}: collection 0, its item 2 (a folder), that folder's item 1.
#include "collection/Collection.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QObject>

namespace rpcbench {

struct ItemAddress
{
    int collection = -1;
    QList<int> path; // empty: the collection itself
    bool operator==(const ItemAddress&) const = default;
};

class CollectionStore : public QObject
{
    Q_OBJECT
public:
    using Environments = QMap<QString, QMap<QString, QJsonValue>>;

    explicit CollectionStore(QObject* parent = nullptr);

    const QList<Collection>& collections() const { return m_collections; }
    const Environments& environments() const { return m_environments; }
    QString currentEnvironment() const { return m_currentEnvironment; } // "" = none

    // Replaces everything (a workspace was opened or reset); emits reset() and changed().
    void setAll(const QList<Collection>& collections, const Environments& environments);
    void setEnvironments(const Environments& environments);
    void setCurrentEnvironment(const QString& name); // a GUI choice, not workspace content

    // The item at an address; nullptr when there is none (or the address is a collection).
    const CollectionItem* item(const ItemAddress& at) const;

    // Edits. Each returns false (and changes nothing) for an address that does not exist.
    int addCollection(const QString& name);                              // its index
    bool addItem(const ItemAddress& folder, const CollectionItem& item); // appended to a collection or folder
    bool replaceItem(const ItemAddress& at, const CollectionItem& item);
    bool removeItem(const ItemAddress& at);
    bool moveItem(const ItemAddress& from, const ItemAddress& toFolder, int row); // drag and drop
    bool duplicateItem(const ItemAddress& at); // the copy right after it, "… copy"
    bool renameItem(const ItemAddress& at, const QString& name);
    bool renameCollection(int index, const QString& name);
    bool removeCollection(int index);
    // Undo of a removal: puts the item (collection) back at `row` (`index`), clamped to the ends.
    bool insertItem(const ItemAddress& folder, int row, const CollectionItem& item);
    int insertCollection(int index, const Collection& collection);
    // "Arithmetic/add": the path CollectionRunner::start() takes for the item at `at` ("" for a
    // collection); empty too for an address that does not exist.
    QString runPath(const ItemAddress& at) const;
    // The call saved as "Save to collection" does: into collection `name` (made when missing),
    // folder path "A/B" (made when missing).
    ItemAddress saveCall(const QString& collection, const QString& folderPath, const SavedCall& call);

signals:
    void reset();   // everything was replaced
    void changed(); // any edit (for the workspace's modified state and the views)
    void currentEnvironmentChanged(const QString& name);

private:
    QList<CollectionItem>* itemsAt(const ItemAddress& folder); // a collection's or folder's items
    CollectionItem* mutableItem(const ItemAddress& at);

    QList<Collection> m_collections;
    Environments m_environments;
    QString m_currentEnvironment;
};

} // namespace rpcbench
