#pragma once
// Text renderings of payloads for the log details pane and the response view. All of them
// work on bytes in one pass without building a JSON DOM, so they are exact (numbers and key
// order stay as sent), tolerate broken or truncated input, and are cheap on megabyte payloads.

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace rpcbench::JsonText {

// Default amount of a payload rendered before "Show all" is needed.
constexpr qsizetype DefaultDisplayLimit = 256 * 1024;

// Re-indents JSON text (2 spaces), keeping every token as written. Only the first `maxInput`
// bytes are used; *truncated tells whether input was cut.
QString pretty(QByteArrayView json, qsizetype maxInput = DefaultDisplayLimit, bool* truncated = nullptr);

// Classic 16-bytes-per-line dump: offset, hex bytes, printable ASCII.
QString hexDump(QByteArrayView bytes, qsizetype maxInput = DefaultDisplayLimit, bool* truncated = nullptr);

// The raw bytes as text (UTF-8, invalid sequences replaced), limited like the others.
QString rawText(QByteArrayView bytes, qsizetype maxInput = DefaultDisplayLimit, bool* truncated = nullptr);

// Any JSON value as text, scalars included ("6", "\"x\"", "[1,2]").
QByteArray serialize(const QJsonValue& value, bool indented = false);
// Parses any JSON value, scalars included. nullopt with a one-line reason in *error.
std::optional<QJsonValue> parseValue(const QString& text, QString* error = nullptr);

// "512 B", "1.5 KiB", "3.2 MiB".
QString formatBytes(qint64 bytes);
// "850 µs", "1.25 ms", "2.10 s"; empty for negative (unknown) latencies.
QString formatLatency(qint64 microseconds);
// "… truncated: showing 256 KiB of 3.2 MiB"
QString truncationNote(qsizetype shown, qsizetype total);

} // namespace rpcbench::JsonText
