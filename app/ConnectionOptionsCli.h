#pragma once
// The connection options shared by `rpcbench call`, `methods` and `bench`: where to connect
// (--url, or --exec to launch a process) and how (headers and auth, TLS trust and client
// certificates, MCP's event stream, the reply size limit). One definition, so the three
// commands accept, check and describe them alike; they fill Endpoint::options / process.
//
// Rules; breaking one is a one-line usage error (exit 64 in every command):
//   - --exec and --url exclude each other; --framing (lsp|ndjson, default ndjson), --cwd and
//     --env need --exec.
//   - -H/--header, --bearer and --user need an http(s):// or ws(s):// target; --sse an
//     http(s):// one.
//   - TLS options (--cacert, --insecure, --cert, --key) need a TLS target (https://, tcp+tls://,
//     tcp+lsp+tls://, wss://). On a plain URL they are an error rather than ignored: a security
//     option that silently does nothing hides a mistyped scheme. --key needs --cert (without
//     --key the key is expected in the --cert file).
//   - --insecure is accepted with one warning line on stderr (printConnectionWarnings).
// Secrets (the --bearer token, the --user password, secret -H values, --env values) never
// appear in an error message.

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace rpcbench {
struct Endpoint;
}

namespace rpcbench::cli {

// Adds --url (with `defaultUrl` as its default; empty: --url or --exec is required) and every
// connection option to the parser.
void addConnectionOptions(QCommandLineParser& p, const QString& urlHelp, const QString& defaultUrl = {});
// The long (and short) names of those options that take a value, for separateOptions().
const QStringList& connectionValueOptions();

// The target the options describe, or nullopt with a one-line *error ("invalid --url: ...",
// "--cacert needs a TLS URL (https://, ...)").
std::optional<Endpoint> readConnection(const QCommandLineParser& p, const QString& defaultUrl,
                                       QString* error);

// Prints the warnings the options deserve (today: --insecure), one line each, on stderr.
void printConnectionWarnings(const Endpoint& endpoint);

// "64M", "512K", "1G", "1048576" (binary multiples) as bytes; nullopt when not a size.
std::optional<qint64> parseByteSize(const QString& text);

// The text made one line: line breaks (a child's stderr tail) become " | ".
QString oneLine(const QString& text);

} // namespace rpcbench::cli
