#pragma once
// A workspace: everything needed to bring a mock server (and the client pointed at it) back,
// saved as a `.rpcbench.json` file (documented in docs/WORKSPACE.md):
//
//   {"format": "rpcbench-workspace", "version": 1,
//    "server": {...}, "methods": [...], "faults": {...}, "client": {...},
//    "savedCalls": [...], "history": [...]}
//
// Loading validates the whole file first and yields either a complete Workspace or an error
// naming the problem; nothing is applied on error (see MockService::apply).

#include "collection/Collection.h"
#include "dispatch/FaultSettings.h"
#include "mock/UserMethod.h"
#include "proxy/ProxyConfig.h"
#include "server/ServerLimits.h"
#include "wire/ConnectOptions.h"

#include <QJsonArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace rpcbench {

class ScriptRunner;

// An extra endpoint the embedded server listens on besides its port ("Listen on…", `serve
// --listen`): unix:/path, https://host:port with a certificate and key, ...
struct WorkspaceListener
{
    QString url;
    QString tlsCertificate; // PEM files, for https:// and tcp+tls://
    QString tlsKey;
    friend bool operator==(const WorkspaceListener&, const WorkspaceListener&) = default;
};

struct WorkspaceServer
{
    QString bind = QStringLiteral("127.0.0.1");
    int port = 5000;
    ServerLimits limits;
    bool demoMethods = true;            // the built-in demo methods (add, echo, ...) are served
    QStringList disabledMethods;        // built-in methods switched off (answer "method not found")
    int scriptTimeLimitMs = 5000;       // a script running longer is interrupted
    QList<WorkspaceListener> listeners; // "listen": optional, absent in older files
};

// A client target's connection settings (the GUI's "Connection…" dialog), kept by target URL.
// Secrets (bearer token, password, secret-looking header values, see
// ConnectOptions::isSecretHeader) are written only when saveSecrets is set: by default they
// live for the session only, so a workspace file can be shared or committed.
struct WorkspaceTarget
{
    ConnectOptions options;
    QString workingDirectory; // exec: targets; the command itself is the URL
    QStringList environment;  // exec: targets, "NAME=value"
    bool saveSecrets = false;
    // The handshake sent on every new connection to this target (client/InitSequence's file
    // format: objects with "method", "params", "notification", "timeoutMs"); "init", optional.
    QJsonArray init;

    // What a workspace file keeps of it: the secrets removed unless saveSecrets.
    WorkspaceTarget withoutUnsavedSecrets() const;
    friend bool operator==(const WorkspaceTarget&, const WorkspaceTarget&) = default;
};

struct WorkspaceClient
{
    QString url;                             // empty: the embedded server
    QString dialect = QStringLiteral("2.0"); // "2.0", "1.0" or "classic"
    QMap<QString, WorkspaceTarget> targets;  // "targets": optional, absent in older files
    // The client's own methods, answering the requests servers send it (same format as the
    // server's "methods"); "methods", optional.
    QList<UserMethod> methods;
    // A server request no client method answers waits for the user in the GUI (headless tools
    // answer -32601 at once) for at most holdTimeoutMs; "hold", optional.
    bool holdUnanswered = true;
    int holdTimeoutMs = 60'000;
    // How the incoming view groups subscription events: a JSON Pointer into each notification
    // (empty = params.subscription, as eth_subscription has it); "groupBy", optional.
    QString groupBy;
};

struct Workspace
{
    static constexpr const char* format = "rpcbench-workspace";
    static constexpr int version = 1;
    static constexpr const char* fileSuffix = ".rpcbench.json";

    WorkspaceServer server;
    QList<UserMethod> methods;
    QMap<QString, FaultSettings> faults; // by method name, built-in or user
    WorkspaceClient client;
    QJsonArray savedCalls;      // objects with at least "method" (see docs/WORKSPACE.md)
    QJsonArray history;         // the client's call history, oldest first
    QList<ProxyConfig> proxies; // the GUI's Proxy mode; "proxies", optional
    // Saved calls with assertions, run by the GUI's Collections panel and `rpcbench test`: inline,
    // or in a file of their own ({"file": "api.rpcbench-collection.json"}, relative to the
    // workspace; Collection::file set). "collections", optional.
    QList<Collection> collections;
    // Named sets of variables ({{baseUrl}}), one chosen per run; "environments", optional.
    QMap<QString, QMap<QString, QJsonValue>> environments;

    QJsonObject toJson() const;
    QByteArray toBytes() const; // indented JSON, newline-terminated

    // Validates every member; nullopt with *error naming the problem ("methods[2] 'greet':
    // script line 3: SyntaxError: Unexpected token `*'"). With `scripts`, every script is
    // compile-checked; without, scripts are only checked when they run.
    static std::optional<Workspace> fromJson(const QJsonValue& json, const ScriptRunner* scripts,
                                             QString* error);
    static std::optional<Workspace> fromBytes(const QByteArray& bytes, const ScriptRunner* scripts,
                                              QString* error);
    static std::optional<Workspace> load(const QString& path, const ScriptRunner* scripts, QString* error);
    // Writes atomically (QSaveFile): a failed save leaves the old file intact. Collections kept
    // in files of their own are written to those files first.
    bool save(const QString& path, QString* error) const;
    // Reads the collections fromJson() left as {"file": ...} references, relative to `baseDir`
    // (load() does it with the workspace's folder); *error names the file and the problem.
    bool loadCollectionFiles(const QString& baseDir, QString* error);
    bool saveCollectionFiles(const QString& baseDir, QString* error) const;
};

} // namespace rpcbench
