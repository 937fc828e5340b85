#pragma once
// Reading JSON documents that people edit by hand (workspaces, OpenRPC files): errors name the
// file, the line and the column instead of a byte offset.

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

#include <optional>

namespace rpcbench {

class JsonFile
{
public:
    // nullopt with *error = "line 3, column 7: unterminated string" for broken JSON.
    static std::optional<QJsonDocument> parse(const QByteArray& bytes, QString* error);
    static constexpr qint64 DefaultMaxBytes = 64 * 1024 * 1024;
    // Reads and parses a file; errors start with the file name. Files over `maxBytes` are refused.
    // *bytes (when given) receives the text, for JsonLocator to place later problems by line.
    static std::optional<QJsonDocument> read(const QString& path, QString* error,
                                             qint64 maxBytes = DefaultMaxBytes, QByteArray* bytes = nullptr);
    // 1-based line and column of a byte offset (columns count characters, not bytes).
    static void position(const QByteArray& bytes, qsizetype offset, int* line, int* column);
};

} // namespace rpcbench
