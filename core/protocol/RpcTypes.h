#pragma once
// Small value types shared by every layer of the engine: how a message travelled, which
// dialect it spoke and what it was. Kept free of logic so both sides (server, client) and
// the GUI can include it cheaply.

#include "wire/Transport.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>

namespace rpcbench {
// Gives the enums below names in QDebug and QCOMPARE output. Only this header may declare
// Q_NAMESPACE for rpcbench.
Q_NAMESPACE

// Which protocol flavour a message speaks (detected per message).
enum class Dialect : quint8 { Unknown, JsonRpc2, JsonRpc1, Classic };

// What a message is, as understood by the engine.
enum class MessageKind : quint8 { Request, Notification, Response, Error, Batch, Invalid };

// Which part of rpcbench saw a message: its server, its client, or a proxy between a user's own
// client and server (In: from the client towards the upstream server; Out: towards the client).
enum class Side : quint8 { Server, Client, Proxy };
enum class Direction : quint8 { In, Out };
Q_ENUM_NS(Dialect)
Q_ENUM_NS(MessageKind)
Q_ENUM_NS(Side)
Q_ENUM_NS(Direction)

QString toString(Dialect d);
QString toString(MessageKind k);
QString toString(Side s);
QString toString(Direction d);

// The inverse of toString(Dialect) for what users type (command line, settings): "2.0"/"2",
// "1.0"/"1" or "classic", any case, surrounding spaces ignored; nullopt otherwise.
std::optional<Dialect> dialectFromString(const QString& text);

// What the engine understood of one message; computed once while decoding, reused by the log.
// The rules that fill it (what a message is) live in protocol/MessageSummaries.h.
struct MessageSummary
{
    MessageKind kind = MessageKind::Invalid;
    Dialect dialect = Dialect::Unknown;
    QString method;       // empty for responses
    QByteArray idJson;    // compact JSON of the id ("1", "\"a\"", "null"); empty when absent
    int batchSize = 0;    // number of elements for batches
    int errorCode = 0;    // JSON-RPC error code for error replies (first error in a batch)
    bool faulted = false; // reply altered on purpose by fault injection
};

// Standard JSON-RPC 2.0 error codes (section 5.1 of the specification).
namespace ErrorCode {
constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int InternalError = -32603;
// -32000..-32099: implementation-defined server errors.
constexpr int ServerError = -32000;
constexpr int MessageTooLarge = -32001;
constexpr int HandlerTimeout = -32002;
constexpr int ServerShuttingDown = -32003;
constexpr int Overloaded = -32004;
} // namespace ErrorCode

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::MessageSummary)
