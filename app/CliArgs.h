#pragma once
// Command-line helpers shared by the sub-commands: checked numeric options, and for `rpcbench
// call` and `rpcbench methods` turning ARG words into JSON params, reading batch files, and
// printing JSON.

#include "client/CallTypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

class QCommandLineParser;
class QTimer;

namespace rpcbench {
class TrafficBus;
}

namespace rpcbench::cli {

// Exit codes (sysexits-style for usage).
constexpr int ExitOk = 0;
constexpr int ExitRpcError = 1;
constexpr int ExitTransport = 2;
constexpr int ExitUsage = 64;

// A JSON literal when the text parses as exactly one JSON value (`1`, `"x"`, `[1,2]`,
// `{"a":1}`, `true`, `null`), otherwise the text itself as a string.
QJsonValue parseArgValue(const QString& text);

// ARG words: `name=value` (name an identifier) is a named argument; anything else positional.
struct CallArgs
{
    QJsonArray positional;
    QJsonObject named;
    QString error; // e.g. a name given twice
};
CallArgs parseCallArgs(const QStringList& words);

// The value of option --name as an integer (readInteger) or any number (readNumber) within
// [min, max]; false with *error ("invalid --port 'abc': must be an integer between 0 and 65535")
// otherwise. Dialects: dialectFromString() in RpcTypes.h.
bool readInteger(const QCommandLineParser& p, const QString& name, qint64 min, qint64 max, qint64* out,
                 QString* error);
bool readNumber(const QCommandLineParser& p, const QString& name, double min, double max, double* out,
                QString* error);

// Reorders an argument list so that QCommandLineParser sees options first and every other
// word after "--": lets negative numbers (`add -1 2`) be arguments rather than unknown options.
// `valueOptions` are the long option names that take a value ("url", "timeout", ...).
QStringList separateOptions(const QStringList& args, const QStringList& valueOptions);

// Parses a batch file: a JSON array whose elements are {"method": ..., "params": ...} objects
// (full JSON-RPC request objects work too; an element without "id" but with "jsonrpc", or with
// "notify": true, is a notification). nullopt with *error naming the bad element.
std::optional<QList<CallRequest>> parseBatch(const QByteArray& json, int timeoutMs, QString* error);

// Writes to stdout/stderr with a trailing newline.
void printOut(const QByteArray& text);
void printErr(const QString& text);

// Parses "rpcbench <command> ..." (separateOptions() with `valueOptions`). Returns an exit code
// when the command must stop here (--help printed: 0; a usage error printed: ExitUsage), or -1
// to go on.
int parseCommand(QCommandLineParser& p, const QStringList& args, const QString& command,
                 const QStringList& valueOptions);
// Prints "rpcbench COMMAND: message" and the --help hint; returns ExitUsage.
int usageError(const QString& command, const QString& message);

// Prints on stderr what went over the wire since the last call, in order ("--> " sent, "<-- "
// received, "[child] " a launched process's stderr).
void printTraffic(TrafficBus& bus);
// The same every few milliseconds while the event loop runs (--verbose of a command that stays
// connected), for as long as the returned timer lives.
std::unique_ptr<QTimer> printTrafficLive(const std::shared_ptr<TrafficBus>& bus);

} // namespace rpcbench::cli
