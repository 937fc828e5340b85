#include "util/JsonFile.h"

#include <QFile>
#include <QFileInfo>

namespace rpcbench {

void JsonFile::position(const QByteArray& bytes, qsizetype offset, int* line, int* column)
{
    *line = 1;
    qsizetype lineStart = 0;
    const qsizetype end = std::min(offset, bytes.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (bytes.at(i) == '\n') {
            ++*line;
            lineStart = i + 1;
        }
    }
    *column = int(QString::fromUtf8(bytes.mid(lineStart, end - lineStart)).size()) + 1;
}

std::optional<QJsonDocument> JsonFile::parse(const QByteArray& bytes, QString* error)
{
    QJsonParseError parseError{};
    QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return doc;
    int line = 0;
    int column = 0;
    position(bytes, parseError.offset, &line, &column);
    *error = QStringLiteral("not valid JSON: line %1, column %2: %3")
                 .arg(line)
                 .arg(column)
                 .arg(parseError.errorString());
    return std::nullopt;
}

std::optional<QJsonDocument> JsonFile::read(const QString& path, QString* error, qint64 maxBytes,
                                            QByteArray* bytes)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > maxBytes) {
        *error =
            QStringLiteral("%1 is too large (%2 bytes, at most %3)").arg(name).arg(file.size()).arg(maxBytes);
        return std::nullopt;
    }
    QString problem;
    QByteArray text = file.readAll();
    auto doc = parse(text, &problem);
    if (bytes)
        *bytes = std::move(text);
    if (!doc)
        *error = QStringLiteral("%1: %2").arg(name, problem);
    return doc;
}

} // namespace rpcbench
