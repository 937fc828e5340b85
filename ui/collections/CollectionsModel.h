#pragma once
// The Collections panel's tree over a CollectionStore: collections → folders → calls, with the
// name (editable: renames), the method and target, and the last run's verdict per call (PASS /
// FAIL, the failing assertion in the tooltip). Drag and drop moves an item (the mime data carries
// its address; CollectionStore::moveItem does the move). The store is the only truth: every
// store change rebuilds the tree, which is small (a workspace's saved calls).
#include "collections/CollectionStore.h"
#include "runner/RunReport.h"

#include <QAbstractItemModel>
#include <QHash>

#include <memory>
#include <optional>
#include <vector>

namespace rpcbench {

class CollectionsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, MethodColumn, ResultColumn, ColumnCount };
    enum Role { IsFolderRole = Qt::UserRole + 1, IsCollectionRole };
    static constexpr const char* mimeType = "application/x-rpcbench-collection-items";

    explicit CollectionsModel(CollectionStore* store, QObject* parent = nullptr);
    ~CollectionsModel() override;

    CollectionStore* store() const { return m_store; }
    ItemAddress address(const QModelIndex& index) const; // collection -1 for an invalid index
    QModelIndex indexOf(const ItemAddress& at, int column = NameColumn) const;

    // The last run's verdict of a call, by collection index and run path ("Folder/name").
    void setResult(int collection, const CallReport& report);
    void clearResults();

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;

    struct Node; // the tree behind the indexes (internalPointer)

private:
    void rebuild();
    void onStoreChanged();
    void refresh(const QModelIndex& parent, int firstColumn, int lastColumn); // dataChanged, recursively
    static bool sameShape(const Node* node, const QList<CollectionItem>& items);
    Node* nodeOf(const QModelIndex& index) const;
    // Where a drop lands: the folder (or collection) and the row in it; false when nowhere.
    bool dropTarget(int row, const QModelIndex& parent, ItemAddress* folder, int* at) const;
    static std::optional<ItemAddress> decode(const QMimeData* data);
    QString resultKey(const ItemAddress& at) const;

    CollectionStore* m_store;
    std::unique_ptr<Node> m_root;
    QHash<QString, CallReport> m_results; // by resultKey
};

} // namespace rpcbench
