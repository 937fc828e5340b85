#include "ConnectionOptionsCli.h"

#include "CliArgs.h"

#include "wire/Endpoint.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <limits>

namespace rpcbench::cli {

namespace {

constexpr qint64 kMaxReplyLimit = 64LL * 1024 * 1024 * 1024; // 64 GiB: beyond any sane reply

QString tlsSchemes()
{
    return QStringLiteral("https://, tcp+tls://, tcp+lsp+tls:// or wss://");
}

bool fail(QString* error, const QString& message)
{
    *error = message;
    return false;
}

bool readableFile(const QString& option, const QString& path, QString* error)
{
    const QFileInfo info(path);
    if (info.isFile() && info.isReadable())
        return true;
    return fail(error, QStringLiteral("cannot read --%1 file '%2'").arg(option, path));
}

// --exec COMMAND with --framing, --cwd and --env.
bool readProcess(const QCommandLineParser& p, Endpoint* ep, QString* error)
{
    Transport framing = Transport::JsonStream;
    if (p.isSet(QStringLiteral("framing"))) {
        const QString f = p.value(QStringLiteral("framing")).toLower();
        if (f == u"lsp")
            framing = Transport::Lsp;
        else if (f != u"ndjson")
            return fail(error, QStringLiteral("invalid --framing '%1' (use lsp or ndjson)")
                                   .arg(p.value(QStringLiteral("framing"))));
    }
    QString reason;
    const auto process = Endpoint::forCommand(p.value(QStringLiteral("exec")), framing, &reason);
    if (!process)
        return fail(error, QStringLiteral("invalid --exec: ") + reason);
    *ep = *process;
    if (p.isSet(QStringLiteral("cwd"))) {
        const QString dir = p.value(QStringLiteral("cwd"));
        if (!QFileInfo(dir).isDir())
            return fail(error, QStringLiteral("--cwd '%1' is not a directory").arg(dir));
        ep->process.workingDirectory = dir;
    }
    for (const QString& assignment : p.values(QStringLiteral("env"))) {
        // The value may be a secret (an API key): name it by its NAME only.
        if (assignment.indexOf(QLatin1Char('=')) <= 0)
            return fail(error, QStringLiteral("invalid --env: expected NAME=VALUE"));
        ep->process.environment.append(assignment);
    }
    return true;
}

bool readTarget(const QCommandLineParser& p, const QString& defaultUrl, Endpoint* ep, QString* error)
{
    if (p.isSet(QStringLiteral("exec"))) {
        if (p.isSet(QStringLiteral("url")))
            return fail(error, QStringLiteral("give either --url or --exec, not both"));
        return readProcess(p, ep, error);
    }
    for (const char* option : {"framing", "cwd", "env"}) {
        if (p.isSet(QLatin1StringView(option)))
            return fail(error, QStringLiteral("--%1 applies to --exec only").arg(QLatin1StringView(option)));
    }
    const QString url = p.isSet(QStringLiteral("url")) ? p.value(QStringLiteral("url")) : defaultUrl;
    if (url.isEmpty())
        return fail(error, QStringLiteral("--url or --exec is required (e.g. --url tcp://127.0.0.1:5000)"));
    QString reason;
    const auto parsed = Endpoint::parse(url, &reason);
    if (!parsed)
        return fail(error, QStringLiteral("invalid --url: ") + reason);
    *ep = *parsed;
    return true;
}

bool readAuth(const QCommandLineParser& p, ConnectOptions* o, QString* error)
{
    for (const QString& line : p.values(QStringLiteral("header"))) {
        // Without a colon the whole text may be a token: do not echo it.
        if (!line.contains(QLatin1Char(':')))
            return fail(error, QStringLiteral("invalid -H/--header: expected 'Name: value'"));
        QPair<QByteArray, QByteArray> header;
        QString reason;
        if (!ConnectOptions::parseHeader(line, &header, &reason))
            return fail(error, QStringLiteral("invalid -H/--header: ") + reason);
        o->headers.append(header);
    }
    if (p.isSet(QStringLiteral("bearer"))) {
        o->bearerToken = p.value(QStringLiteral("bearer"));
        if (o->bearerToken.trimmed().isEmpty())
            return fail(error, QStringLiteral("--bearer needs a token"));
    }
    if (p.isSet(QStringLiteral("user"))) {
        o->basicUser = p.value(QStringLiteral("user"));
        if (o->basicUser.indexOf(QLatin1Char(':')) <= 0)
            return fail(error, QStringLiteral("invalid --user: expected NAME:PASSWORD"));
    }
    return true;
}

bool readTls(const QCommandLineParser& p, ConnectOptions* o, QString* error)
{
    for (const QString& file : p.values(QStringLiteral("cacert"))) {
        if (!readableFile(QStringLiteral("cacert"), file, error))
            return false;
        o->caCertificates.append(file);
    }
    o->insecure = p.isSet(QStringLiteral("insecure"));
    if (p.isSet(QStringLiteral("key")) && !p.isSet(QStringLiteral("cert")))
        return fail(error, QStringLiteral("--key needs --cert"));
    if (p.isSet(QStringLiteral("cert"))) {
        o->clientCertificate = p.value(QStringLiteral("cert"));
        if (!readableFile(QStringLiteral("cert"), o->clientCertificate, error))
            return false;
    }
    if (p.isSet(QStringLiteral("key"))) {
        o->clientKey = p.value(QStringLiteral("key"));
        if (!readableFile(QStringLiteral("key"), o->clientKey, error))
            return false;
    }
    return true;
}

// Options that only make sense on some targets.
bool checkScope(const QCommandLineParser& p, const Endpoint& ep, QString* error)
{
    const bool http = ep.transport == Transport::Http && ep.carrier == Carrier::Tcp;
    const bool httpLike = http || ep.carrier == Carrier::WebSocket;
    for (const char* option : {"header", "bearer", "user"}) {
        if (p.isSet(QLatin1StringView(option)) && !httpLike)
            return fail(error, QStringLiteral("--%1 needs an http://, https://, ws:// or wss:// target")
                                   .arg(QLatin1StringView(option)));
    }
    if (p.isSet(QStringLiteral("sse")) && !http)
        return fail(error, QStringLiteral("--sse needs an http:// or https:// target"));
    for (const char* option : {"cacert", "insecure", "cert", "key"}) {
        if (p.isSet(QLatin1StringView(option)) && !ep.tls)
            return fail(
                error,
                QStringLiteral("--%1 needs a TLS target (%2)").arg(QLatin1StringView(option), tlsSchemes()));
    }
    return true;
}

} // namespace

void addConnectionOptions(QCommandLineParser& p, const QString& urlHelp, const QString& defaultUrl)
{
    if (defaultUrl.isEmpty())
        p.addOption({QStringLiteral("url"), urlHelp, QStringLiteral("url")});
    else
        p.addOption({QStringLiteral("url"), urlHelp, QStringLiteral("url"), defaultUrl});
    p.addOption({QStringLiteral("exec"),
                 QStringLiteral("Launch CMD (with its ARGS, quoted like a shell) and talk JSON-RPC on its "
                                "stdin/stdout, instead of --url."),
                 QStringLiteral("'cmd args'")});
    p.addOption({QStringLiteral("framing"),
                 QStringLiteral("With --exec: lsp (Content-Length, language servers) or ndjson (one JSON "
                                "message per line, MCP). Default ndjson."),
                 QStringLiteral("lsp|ndjson")});
    p.addOption({QStringLiteral("cwd"), QStringLiteral("With --exec: the working directory."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("env"),
                 QStringLiteral("With --exec: set an environment variable (repeatable)."),
                 QStringLiteral("name=value")});
    p.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                 QStringLiteral("HTTP/WebSocket header 'Name: value' (repeatable; never overwritten)."),
                 QStringLiteral("header")});
    p.addOption({QStringLiteral("bearer"), QStringLiteral("Send 'Authorization: Bearer TOKEN'."),
                 QStringLiteral("token")});
    p.addOption({QStringLiteral("user"), QStringLiteral("HTTP basic authentication."),
                 QStringLiteral("name:password")});
    p.addOption({QStringLiteral("cacert"),
                 QStringLiteral("Trust this CA certificate (PEM) too (repeatable; TLS targets)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("insecure"),
                 QStringLiteral("Do not verify the server's TLS certificate (prints a warning).")});
    p.addOption(
        {QStringLiteral("cert"), QStringLiteral("TLS client certificate (PEM)."), QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("key"), QStringLiteral("Key of --cert (PEM, unencrypted)."), QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("sse"), QStringLiteral("MCP Streamable HTTP: also open the GET event stream.")});
    p.addOption({QStringLiteral("max-reply-bytes"),
                 QStringLiteral("Largest reply accepted, in bytes (suffix K, M or G). Default 64M."),
                 QStringLiteral("bytes")});
}

const QStringList& connectionValueOptions()
{
    static const QStringList names{QStringLiteral("url"),
                                   QStringLiteral("exec"),
                                   QStringLiteral("framing"),
                                   QStringLiteral("cwd"),
                                   QStringLiteral("env"),
                                   QStringLiteral("H"),
                                   QStringLiteral("header"),
                                   QStringLiteral("bearer"),
                                   QStringLiteral("user"),
                                   QStringLiteral("cacert"),
                                   QStringLiteral("cert"),
                                   QStringLiteral("key"),
                                   QStringLiteral("max-reply-bytes")};
    return names;
}

std::optional<Endpoint> readConnection(const QCommandLineParser& p, const QString& defaultUrl, QString* error)
{
    Endpoint ep;
    if (!readTarget(p, defaultUrl, &ep, error) || !readAuth(p, &ep.options, error) ||
        !readTls(p, &ep.options, error) || !checkScope(p, ep, error))
        return std::nullopt;
    ep.options.sse = p.isSet(QStringLiteral("sse"));
    if (p.isSet(QStringLiteral("max-reply-bytes"))) {
        const auto bytes = parseByteSize(p.value(QStringLiteral("max-reply-bytes")));
        if (!bytes || *bytes < 1 || *bytes > kMaxReplyLimit) {
            *error = QStringLiteral("invalid --max-reply-bytes '%1': a size such as 1048576, 512K, 64M or 1G")
                         .arg(p.value(QStringLiteral("max-reply-bytes")));
            return std::nullopt;
        }
        ep.options.maxReplyBytes = *bytes;
    }
    return ep;
}

void printConnectionWarnings(const Endpoint& endpoint)
{
    if (endpoint.options.insecure)
        printErr(QStringLiteral("warning: --insecure: the server's TLS certificate is not verified"));
}

std::optional<qint64> parseByteSize(const QString& text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d{1,15})\s*([kmg]?)(?:i?b)?\s*$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    qint64 value = m.captured(1).toLongLong();
    const QString unit = m.captured(2).toLower();
    const int shift = unit == u"k" ? 10 : unit == u"m" ? 20 : unit == u"g" ? 30 : 0;
    if (value > (std::numeric_limits<qint64>::max() >> shift))
        return std::nullopt;
    return value << shift;
}

QString oneLine(const QString& text)
{
    QString line = text.trimmed();
    line.replace(QLatin1String("\r\n"), QLatin1String(" | "));
    line.replace(QLatin1Char('\n'), QLatin1String(" | "));
    line.replace(QLatin1Char('\r'), QLatin1String(" | "));
    return line;
}

} // namespace rpcbench::cli
