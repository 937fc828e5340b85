#include "wire/Endpoint.h"

#include <QHostAddress>

namespace rpcbench {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

struct Scheme
{
    const char* name;
    Carrier carrier;
    bool tls;
    Transport transport;
    quint16 defaultPort; // 0: the port is required
};

constexpr Scheme kSchemes[] = {
    {"tcp", Carrier::Tcp, false, Transport::JsonStream, 0},
    {"tcp+lsp", Carrier::Tcp, false, Transport::Lsp, 0},
    {"http", Carrier::Tcp, false, Transport::Http, 80},
    {"https", Carrier::Tcp, true, Transport::Http, 443},
    {"tcp+tls", Carrier::Tcp, true, Transport::JsonStream, 0},
    {"tcp+lsp+tls", Carrier::Tcp, true, Transport::Lsp, 0},
    {"ws", Carrier::WebSocket, false, Transport::WebSocket, 80},
    {"wss", Carrier::WebSocket, true, Transport::WebSocket, 443},
    {"unix", Carrier::Unix, false, Transport::JsonStream, 0},
    {"unix+lsp", Carrier::Unix, false, Transport::Lsp, 0},
    {"exec", Carrier::Process, false, Transport::JsonStream, 0},
    {"exec+lsp", Carrier::Process, false, Transport::Lsp, 0},
};

const Scheme* findScheme(const QString& name)
{
    for (const Scheme& s : kSchemes)
        if (name == QLatin1String(s.name))
            return &s;
    return nullptr;
}

const Scheme* schemeOf(const Endpoint& ep)
{
    for (const Scheme& s : kSchemes)
        if (s.carrier == ep.carrier && s.tls == ep.tls && s.transport == ep.transport)
            return &s;
    return nullptr;
}

bool hasPath(const Scheme& s)
{
    return s.transport == Transport::Http || s.carrier == Carrier::WebSocket;
}

// Splits a command line like a POSIX shell does for plain words: whitespace separates,
// '...' is literal, "..." allows \" and \\, a backslash outside quotes escapes the next character.
// (QProcess::splitCommand knows double quotes only.) False on an unterminated quote.
bool splitCommandLine(const QString& line, QStringList* words)
{
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quote == QLatin1Char('\'')) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (quote == QLatin1Char('"')) {
            if (c == quote)
                quote = QChar();
            else if (c == QLatin1Char('\\') && i + 1 < line.size() &&
                     (line.at(i + 1) == QLatin1Char('"') || line.at(i + 1) == QLatin1Char('\\')))
                word += line.at(++i);
            else
                word += c;
        } else if (c.isSpace()) {
            if (inWord)
                words->append(std::exchange(word, {}));
            inWord = false;
        } else {
            inWord = true;
            if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
                quote = c;
            else if (c == QLatin1Char('\\') && i + 1 < line.size())
                word += line.at(++i);
            else
                word += c;
        }
    }
    if (inWord)
        words->append(word);
    return quote.isNull();
}

QString quoteArgument(const QString& arg)
{
    static const QString special = QStringLiteral(" \t\"'\\$`;&|<>()*?[]#~");
    if (!arg.isEmpty() && std::none_of(arg.cbegin(), arg.cend(), [](QChar c) { return special.contains(c); }))
        return arg;
    QString quoted = arg;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// The part after "scheme://" up to the path: "host:port", "[::1]:80", "host".
bool splitAuthority(const QString& authority, QString* host, QString* portText, QString* error)
{
    if (authority.contains(QLatin1Char('@')))
        return fail(error, QStringLiteral("user information is not supported in URLs"));
    if (authority.startsWith(QLatin1Char('['))) {
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(error, QStringLiteral("unterminated IPv6 address '%1'").arg(authority));
        *host = authority.mid(1, close - 1);
        const QString rest = authority.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':')))
            return fail(error, QStringLiteral("unexpected '%1' after IPv6 address").arg(rest));
        *portText = rest.mid(1);
        if (QHostAddress(*host).protocol() != QAbstractSocket::IPv6Protocol)
            return fail(error, QStringLiteral("invalid IPv6 address '%1'").arg(*host));
        return true;
    }
    const qsizetype colon = authority.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && authority.indexOf(QLatin1Char(':')) != colon)
        return fail(error,
                    QStringLiteral("IPv6 addresses must be written in brackets, e.g. tcp://[::1]:5000"));
    *host = colon < 0 ? authority : authority.left(colon);
    *portText = colon < 0 ? QString() : authority.mid(colon + 1);
    return true;
}

bool parsePort(const QString& text, const Scheme& scheme, bool hadColon, quint16* port, QString* error)
{
    if (text.isEmpty()) {
        if (scheme.defaultPort != 0 && !hadColon) {
            *port = scheme.defaultPort;
            return true;
        }
        return fail(error, QStringLiteral("missing port (e.g. tcp://127.0.0.1:5000)"));
    }
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value == 0 || value > 65535)
        return fail(error, QStringLiteral("invalid port '%1' (1-65535)").arg(text));
    *port = quint16(value);
    return true;
}

} // namespace

std::optional<Endpoint> Endpoint::parse(const QString& input, QString* error)
{
    const QString url = input.trimmed();
    if (url.isEmpty()) {
        fail(error, QStringLiteral("empty URL"));
        return std::nullopt;
    }
    // unix:/path and exec:command have no "//"; everything else is scheme://authority/path.
    const qsizetype sep = url.indexOf(QLatin1String("://"));
    const qsizetype colon = url.indexOf(QLatin1Char(':'));
    const QString opaque = colon > 0 ? url.left(colon).toLower() : QString();
    if (opaque.startsWith(QLatin1String("unix")) || opaque.startsWith(QLatin1String("exec"))) {
        const Scheme* scheme = findScheme(opaque);
        if (!scheme) {
            fail(error, QStringLiteral("unsupported scheme '%1' (use unix:, unix+lsp:, exec: or exec+lsp:)")
                            .arg(opaque));
            return std::nullopt;
        }
        QString rest = url.mid(colon + 1);
        if (scheme->carrier == Carrier::Process) {
            auto ep = forCommand(rest, scheme->transport, error);
            return ep;
        }
        if (rest.startsWith(QLatin1String("//")))
            rest = rest.mid(2); // unix:///run/x.sock
        if (rest.isEmpty()) {
            fail(error, QStringLiteral("missing socket path (e.g. unix:/run/app.sock)"));
            return std::nullopt;
        }
        Endpoint ep;
        ep.carrier = Carrier::Unix;
        ep.transport = scheme->transport;
        ep.socketPath = rest;
        return ep;
    }
    const QString schemeName = sep < 0 ? QStringLiteral("tcp") : url.left(sep).toLower();
    const QString rest = sep < 0 ? url : url.mid(sep + 3);

    const Scheme* scheme = findScheme(schemeName);
    if (!scheme) {
        fail(error, QStringLiteral("unsupported scheme '%1' (use tcp://, tcp+lsp://, http://, https://, "
                                   "tcp+tls://, ws://, wss://, unix: or exec:)")
                        .arg(schemeName));
        return std::nullopt;
    }
    Endpoint ep;
    ep.carrier = scheme->carrier;
    ep.tls = scheme->tls;
    ep.transport = scheme->transport;

    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString authority = slash < 0 ? rest : rest.left(slash);
    const QString path = slash < 0 ? QString() : rest.mid(slash);
    if (!path.isEmpty() && path != QLatin1String("/") && !hasPath(*scheme)) {
        fail(error, QStringLiteral("%1:// URLs take no path ('%2')").arg(schemeName, path));
        return std::nullopt;
    }
    if (hasPath(*scheme) && !path.isEmpty())
        ep.path = path;

    QString portText;
    if (!splitAuthority(authority, &ep.host, &portText, error))
        return std::nullopt;
    if (ep.host.isEmpty()) {
        fail(error, QStringLiteral("missing host in '%1'").arg(url));
        return std::nullopt;
    }
    const bool hadColon = authority.endsWith(QLatin1Char(':'));
    if (!parsePort(portText, *scheme, hadColon, &ep.port, error))
        return std::nullopt;
    return ep;
}

std::optional<Endpoint> Endpoint::forCommand(const QString& commandLine, Transport framing, QString* error)
{
    QStringList words;
    if (!splitCommandLine(commandLine, &words)) {
        fail(error, QStringLiteral("unterminated quote in command '%1'").arg(commandLine));
        return std::nullopt;
    }
    if (words.isEmpty()) {
        fail(error, QStringLiteral("missing command to launch"));
        return std::nullopt;
    }
    Endpoint ep;
    ep.carrier = Carrier::Process;
    ep.transport = framing == Transport::Lsp ? Transport::Lsp : Transport::JsonStream;
    ep.process.program = words.first();
    ep.process.arguments = words.mid(1);
    return ep;
}

QString ProcessSpec::commandLine() const
{
    QStringList words{quoteArgument(program)};
    for (const QString& a : arguments)
        words.append(quoteArgument(a));
    return words.join(QLatin1Char(' '));
}

bool Endpoint::isValid() const
{
    switch (carrier) {
    case Carrier::Unix:
        return !socketPath.isEmpty();
    case Carrier::Process:
        return !process.program.isEmpty();
    case Carrier::Tcp:
    case Carrier::WebSocket:
        break;
    }
    return !host.isEmpty() && port != 0;
}

QString Endpoint::scheme() const
{
    const Scheme* s = schemeOf(*this);
    return s ? QString::fromLatin1(s->name) : QStringLiteral("tcp");
}

QString Endpoint::authority() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

QString Endpoint::toString() const
{
    switch (carrier) {
    case Carrier::Unix:
        return scheme() + QLatin1Char(':') + socketPath;
    case Carrier::Process:
        return scheme() + QLatin1Char(':') + process.commandLine();
    case Carrier::Tcp:
    case Carrier::WebSocket:
        break;
    }
    QString s = scheme() + QLatin1String("://") + authority();
    if (transport == Transport::Http || carrier == Carrier::WebSocket)
        s += path.isEmpty() ? QStringLiteral("/") : path;
    return s;
}

} // namespace rpcbench
