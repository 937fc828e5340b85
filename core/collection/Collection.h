#pragma once
// A collection: named folders of saved calls with their own variables, kept in a workspace's
// "collections" array or in a file of its own (*.rpcbench-collection.json) that the workspace
// names with {"file": "api.rpcbench-collection.json"}:
//
//   {"name": "Demo service", "description": "...", "variables": {"a": 1},
//    "items": [{"folder": "Arithmetic", "items": [{"name": "add", "method": "add", ...}]},
//              {"name": "echo", "method": "echo", "params": ["hi"]}]}
//
// Items are calls (objects with "method" or "batch") or folders (objects with "folder"), nested
// at will. Written with sorted keys and one member per line, so a one-call change is a small diff.
#include "collection/SavedCall.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace rpcbench {

struct CollectionItem
{
    // A folder has a name, maybe a description, and items; a call has `call`.
    bool isFolder = false;
    QString folder;
    QString description;
    QList<CollectionItem> items;
    SavedCall call;

    static CollectionItem makeFolder(const QString& name, QList<CollectionItem> items = {});
    static CollectionItem makeCall(const SavedCall& call);
    QString displayName() const { return isFolder ? folder : call.displayName(); }
    // Written out: a defaulted one cannot see through the recursive QList.
    bool operator==(const CollectionItem& other) const;
};

struct Collection
{
    static constexpr const char* format = "rpcbench-collection";
    static constexpr int version = 1;
    static constexpr const char* fileSuffix = ".rpcbench-collection.json";

    QString name;
    QString description;
    QMap<QString, QJsonValue> variables;
    QList<CollectionItem> items;
    // Where it lives when it has a file of its own (absolute, or relative to the workspace);
    // empty: inside the workspace.
    QString file;

    // Every call, depth first, with the folder path leading to it ("Arithmetic/add").
    struct Entry
    {
        QString path;
        const SavedCall* call;
    };
    QList<Entry> calls() const;
    // The folder at "A/B" (nullptr: none); "" is the collection itself (its items).
    const QList<CollectionItem>* folderItems(const QString& path) const;

    QJsonObject toJson() const; // without "file": that is the workspace's reference
    static std::optional<Collection> fromJson(const QJsonValue& json, QString* error);

    // A file of its own: {"format": "rpcbench-collection", "version": 1, ...the collection}.
    // Errors start with the file name and give the line for broken JSON.
    static std::optional<Collection> load(const QString& path, QString* error);
    bool save(const QString& path, QString* error) const; // atomic (QSaveFile)
    QByteArray toFileBytes() const;                       // indented, newline-terminated

    bool operator==(const Collection&) const = default;
};

} // namespace rpcbench
