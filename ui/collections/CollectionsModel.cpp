#include "collections/CollectionsModel.h"

#include <QBrush>
#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>

namespace rpcbench {

struct CollectionsModel::Node
{
    Node* parent = nullptr;
    int row = 0;
    ItemAddress address;
    std::vector<std::unique_ptr<Node>> children;

    Node* add(const ItemAddress& at)
    {
        auto child = std::make_unique<Node>();
        child->parent = this;
        child->row = int(children.size());
        child->address = at;
        children.push_back(std::move(child));
        return children.back().get();
    }
};

CollectionsModel::CollectionsModel(CollectionStore* store, QObject* parent)
    : QAbstractItemModel(parent), m_store(store)
{
    rebuild();
    connect(m_store, &CollectionStore::changed, this, &CollectionsModel::onStoreChanged);
    connect(m_store, &CollectionStore::reset, this, &CollectionsModel::clearResults);
}

CollectionsModel::~CollectionsModel() = default;

namespace {

void addItems(CollectionsModel::Node* node, const QList<CollectionItem>& items)
{
    for (int i = 0; i < items.size(); ++i) {
        ItemAddress at = node->address;
        at.path << i;
        CollectionsModel::Node* child = node->add(at);
        if (items[i].isFolder)
            addItems(child, items[i].items);
    }
}

QString verdict(const CallReport& report)
{
    if (report.skipped)
        return QObject::tr("skipped");
    return report.passed() ? QObject::tr("PASS") : QObject::tr("FAIL");
}

// Why a call failed, in one line: its problem or its first failing assertion.
QString failure(const CallReport& report)
{
    if (!report.problem.isEmpty())
        return report.problem;
    for (const AssertionReport& a : report.assertions)
        if (!a.result.passed)
            return QObject::tr("%1\nexpected: %2\nactual: %3")
                .arg(a.description, a.result.expected, a.result.actual);
    return {};
}

} // namespace

void CollectionsModel::rebuild()
{
    m_root = std::make_unique<Node>();
    m_root->address.collection = -1;
    const QList<Collection>& collections = m_store->collections();
    for (int c = 0; c < collections.size(); ++c)
        addItems(m_root->add({c, {}}), collections[c].items);
}

CollectionsModel::Node* CollectionsModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
}

ItemAddress CollectionsModel::address(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this ? nodeOf(index)->address : ItemAddress{};
}

QModelIndex CollectionsModel::indexOf(const ItemAddress& at, int column) const
{
    if (at.collection < 0 || at.collection >= int(m_root->children.size()))
        return {};
    Node* node = m_root->children[at.collection].get();
    for (const int i : at.path) {
        if (i < 0 || i >= int(node->children.size()))
            return {};
        node = node->children[i].get();
    }
    return createIndex(node->row, column, node);
}

QString CollectionsModel::resultKey(const ItemAddress& at) const
{
    return QString::number(at.collection) + QLatin1Char('\n') + m_store->runPath(at);
}

void CollectionsModel::setResult(int collection, const CallReport& report)
{
    m_results.insert(QString::number(collection) + QLatin1Char('\n') + report.path, report);
    refresh({}, ResultColumn, ResultColumn);
}

void CollectionsModel::refresh(const QModelIndex& parent, int first, int last)
{
    const int rows = rowCount(parent);
    if (rows == 0)
        return;
    emit dataChanged(index(0, first, parent), index(rows - 1, last, parent));
    for (int r = 0; r < rows; ++r)
        refresh(index(r, NameColumn, parent), first, last);
}

bool CollectionsModel::sameShape(const Node* node, const QList<CollectionItem>& items)
{
    if (int(node->children.size()) != items.size())
        return false;
    for (int i = 0; i < items.size(); ++i) {
        const Node* child = node->children[i].get();
        if (!items[i].isFolder ? !child->children.empty() : !sameShape(child, items[i].items))
            return false;
    }
    return true;
}

void CollectionsModel::onStoreChanged()
{
    // Addresses follow from the tree's shape alone: a rename or an edited call keeps every
    // index (and the view's selection, expansion and open editor); only a changed shape resets.
    const QList<Collection>& collections = m_store->collections();
    bool same = int(m_root->children.size()) == collections.size();
    for (int c = 0; same && c < collections.size(); ++c)
        same = sameShape(m_root->children[c].get(), collections[c].items);
    if (same) {
        refresh({}, 0, ColumnCount - 1);
        return;
    }
    // Verdicts are kept by collection index: a collection added or removed shifts them.
    if (int(m_root->children.size()) != collections.size())
        m_results.clear();
    beginResetModel();
    rebuild();
    endResetModel();
}

void CollectionsModel::clearResults()
{
    m_results.clear();
}

QModelIndex CollectionsModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeOf(parent)->children[row].get());
}

QModelIndex CollectionsModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    Node* parent = nodeOf(child)->parent;
    if (!parent || parent == m_root.get())
        return {};
    return createIndex(parent->row, 0, parent);
}

int CollectionsModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int CollectionsModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant CollectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case MethodColumn:
        return tr("Method / target");
    case ResultColumn:
        return tr("Last result");
    default:
        return {};
    }
}

QVariant CollectionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const ItemAddress at = nodeOf(index)->address;
    const CollectionItem* item = m_store->item(at);
    const bool isCollection = at.path.isEmpty();
    if (role == IsCollectionRole)
        return isCollection;
    if (role == IsFolderRole)
        return item && item->isFolder;
    if (isCollection) {
        const Collection& c = m_store->collections().at(at.collection);
        if (index.column() == NameColumn && (role == Qt::DisplayRole || role == Qt::EditRole))
            return c.name;
        if (index.column() == NameColumn && role == Qt::ToolTipRole && !c.description.isEmpty())
            return c.description;
        return {};
    }
    if (!item)
        return {};
    const auto result = m_results.constFind(resultKey(at));
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return item->displayName();
        if (role == Qt::ToolTipRole)
            return item->isFolder ? item->description : item->call.description;
        return {};
    case MethodColumn:
        if (item->isFolder)
            return {};
        if (role == Qt::DisplayRole) {
            const QString method =
                item->call.isBatch() ? tr("batch of %1").arg(item->call.batch.size()) : item->call.method;
            return item->call.target.isEmpty() ? method
                                               : QStringLiteral("%1 → %2").arg(method, item->call.target);
        }
        return {};
    case ResultColumn:
        if (item->isFolder)
            return {};
        if (role == Qt::DisplayRole)
            return result == m_results.constEnd() ? QStringLiteral("—") : verdict(*result);
        if (role == Qt::ToolTipRole && result != m_results.constEnd() && !result->passed())
            return failure(*result);
        if (role == Qt::ForegroundRole && result != m_results.constEnd() && !result->skipped)
            return QBrush(result->passed() ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        return {};
    default:
        return {};
    }
}

bool CollectionsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != NameColumn || role != Qt::EditRole)
        return false;
    const ItemAddress at = address(index);
    // The store's changed() rebuilds the tree: that reset is this edit's notification.
    return at.path.isEmpty() ? m_store->renameCollection(at.collection, value.toString())
                             : m_store->renameItem(at, value.toString());
}

Qt::ItemFlags CollectionsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags; // nothing lands outside a collection
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const ItemAddress at = address(index);
    const CollectionItem* item = m_store->item(at);
    if (index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    if (item)
        f |= Qt::ItemIsDragEnabled;
    if (at.path.isEmpty() || (item && item->isFolder))
        f |= Qt::ItemIsDropEnabled;
    return f;
}

QStringList CollectionsModel::mimeTypes() const
{
    return {QLatin1String(mimeType)};
}

QMimeData* CollectionsModel::mimeData(const QModelIndexList& indexes) const
{
    // One item moves at a time: the first one dragged (a collection does not move).
    for (const QModelIndex& index : indexes) {
        const ItemAddress at = address(index);
        if (at.path.isEmpty())
            continue;
        QJsonArray path;
        for (const int i : at.path)
            path.append(i);
        const QJsonObject json{{QStringLiteral("collection"), at.collection}, {QStringLiteral("path"), path}};
        auto* data = new QMimeData;
        data->setData(QLatin1String(mimeType), QJsonDocument(json).toJson(QJsonDocument::Compact));
        return data;
    }
    return nullptr;
}

std::optional<ItemAddress> CollectionsModel::decode(const QMimeData* data)
{
    if (!data || !data->hasFormat(QLatin1String(mimeType)))
        return std::nullopt;
    const QJsonObject json = QJsonDocument::fromJson(data->data(QLatin1String(mimeType))).object();
    ItemAddress at;
    at.collection = json.value(QStringLiteral("collection")).toInt(-1);
    for (const QJsonValue& v : json.value(QStringLiteral("path")).toArray())
        at.path << v.toInt(-1);
    if (at.collection < 0 || at.path.isEmpty())
        return std::nullopt;
    return at;
}

bool CollectionsModel::dropTarget(int row, const QModelIndex& parent, ItemAddress* folder, int* at) const
{
    if (!parent.isValid())
        return false;
    ItemAddress target = address(parent);
    const CollectionItem* item = m_store->item(target);
    if (item && !item->isFolder) {
        // Dropped onto a call: right after it, in its folder.
        *at = target.path.takeLast() + 1;
    } else {
        *at = row < 0 ? rowCount(parent) : row;
    }
    *folder = target;
    return true;
}

bool CollectionsModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int,
                                       const QModelIndex& parent) const
{
    ItemAddress folder;
    int at = 0;
    return action == Qt::MoveAction && decode(data) && dropTarget(row, parent, &folder, &at);
}

bool CollectionsModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                    const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    ItemAddress folder;
    int at = 0;
    dropTarget(row, parent, &folder, &at);
    // The move is done here; the view's removeRows() afterwards is the default no-op.
    return m_store->moveItem(*decode(data), folder, at);
}

Qt::DropActions CollectionsModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

Qt::DropActions CollectionsModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

} // namespace rpcbench
