#pragma once
// JSON as text: the one home for turning a QJsonValue into bytes (compact for the wire, compact
// or indented for display), and the renderings of payloads for the log details pane and the
// response view. The renderings work on bytes in one pass without building a JSON DOM, so they
// are exact (numbers and key order stay as sent), tolerate broken or truncated input, and are
// cheap on megabyte payloads.

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

// Appends `value` as compact JSON, scalars included. Undefined is written as null, as QJsonArray
// stores it. On the server's hot path (reply ids and results): scalars are written straight into
// `out` with no temporary allocation, strings by JsonStringWriter, containers by Qt's writer.
// The output is the JSON Qt's own writer produces.
void appendCompact(QByteArray& out, const QJsonValue& value);
// appendCompact into a new array ("6", "\"x\"", "[1,2]", "null" for Undefined).
QByteArray compact(const QJsonValue& value);
// For display: compact (as compact()) or indented (QJsonDocument::Indented, no trailing
// newline). Undefined means "no value" here and gives an empty array.
QByteArray serialize(const QJsonValue& value, bool indented = false);
// Parses any JSON value, scalars included. nullopt with a one-line reason in *error.
std::optional<QJsonValue> parseValue(const QString& text, QString* error = nullptr);

// "512 B", "1.5 KiB", "3.2 MiB".
QString formatBytes(qint64 bytes);
// "850 µs", "1.25 ms", "2.10 s"; empty for negative (unknown) latencies.
QString formatLatency(qint64 microseconds);
// The same from nanoseconds, with a tenth of a microsecond below 10 µs: "0.8 µs", "3.4 µs",
// "850 µs", "1.25 ms". Empty for negative (unknown) latencies.
QString formatLatencyNs(qint64 nanoseconds);
// A count in at most 4 significant characters for narrow columns: "999", "1k", "12.3k",
// "1.75M", "2.1G" (rounded; trailing zeros dropped). The exact number belongs in a tooltip.
QString formatCount(quint64 count);
// "… truncated: showing 256 KiB of 3.2 MiB"
QString truncationNote(qsizetype shown, qsizetype total);

} // namespace rpcbench::JsonText
