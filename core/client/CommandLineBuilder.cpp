#include "client/CommandLineBuilder.h"

#include "util/JsonText.h"
#include "wire/Endpoint.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cctype>

namespace rpcbench::CommandLineBuilder {

namespace {

const QString kTokenVariable = QStringLiteral("RPCBENCH_TOKEN");
const QString kPasswordVariable = QStringLiteral("RPCBENCH_PASSWORD");

// "X-Api-Key" -> "RPCBENCH_X_API_KEY": the variable a masked header value refers to.
QString headerVariable(const QByteArray& name)
{
    QString variable = QStringLiteral("RPCBENCH_");
    for (const char c : name)
        variable += std::isalnum(static_cast<unsigned char>(c)) ? QChar::fromLatin1(char(std::toupper(c)))
                                                                : QLatin1Char('_');
    return variable;
}

// Environment variables of a launched process follow the header rule on their name
// (API_TOKEN is a secret like an Api-Token header).
bool isSecretEnvironmentName(const QString& name)
{
    return ConnectOptions::isSecretHeader(name.toLatin1().replace('_', '-'));
}

// One double-quoted shell word: `literal` (with " \ $ ` escaped), then "$variable".
QString withVariable(const QString& literal, const QString& variable)
{
    QString word = QStringLiteral("\"");
    for (const QChar c : literal) {
        if (c == u'"' || c == u'\\' || c == u'$' || c == u'`')
            word += QLatin1Char('\\');
        word += c;
    }
    return word + QLatin1Char('$') + variable + QLatin1Char('"');
}

QString headerWord(const QPair<QByteArray, QByteArray>& header, bool reveal)
{
    const QString prefix = QString::fromLatin1(header.first) + QLatin1String(": ");
    if (reveal || !ConnectOptions::isSecretHeader(header.first))
        return shellQuote(prefix + QString::fromUtf8(header.second));
    return withVariable(prefix, headerVariable(header.first));
}

QString tokenWord(const QString& token, bool reveal)
{
    return reveal ? shellQuote(token) : withVariable({}, kTokenVariable);
}

// NAME:PASSWORD, the name kept.
QString userWord(const QString& user, bool reveal)
{
    if (reveal)
        return shellQuote(user);
    return withVariable(user.section(QLatin1Char(':'), 0, 0) + QLatin1Char(':'), kPasswordVariable);
}

bool hasUserHeader(const ConnectOptions& o, QByteArrayView name)
{
    return std::any_of(o.headers.cbegin(), o.headers.cend(), [name](const auto& h) {
        return QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}

// --url URL, or --exec 'CMD ARGS' with its framing, directory and environment.
void appendTarget(QStringList& args, const Endpoint& endpoint, bool reveal)
{
    if (endpoint.carrier != Carrier::Process) {
        args << QStringLiteral("--url") << shellQuote(endpoint.toString());
        return;
    }
    const ProcessSpec& process = endpoint.process;
    args << QStringLiteral("--exec") << shellQuote(process.commandLine());
    if (endpoint.transport == Transport::Lsp)
        args << QStringLiteral("--framing") << QStringLiteral("lsp");
    if (!process.workingDirectory.isEmpty())
        args << QStringLiteral("--cwd") << shellQuote(process.workingDirectory);
    for (const QString& assignment : process.environment) {
        const QString name = assignment.section(QLatin1Char('='), 0, 0);
        args << QStringLiteral("--env")
             << (reveal || !isSecretEnvironmentName(name) ? shellQuote(assignment)
                                                          : withVariable(name + QLatin1Char('='), name));
    }
}

void appendOptions(QStringList& args, const ConnectOptions& o, bool reveal)
{
    for (const auto& header : o.headers)
        args << QStringLiteral("-H") << headerWord(header, reveal);
    if (!o.bearerToken.isEmpty())
        args << QStringLiteral("--bearer") << tokenWord(o.bearerToken, reveal);
    if (!o.basicUser.isEmpty())
        args << QStringLiteral("--user") << userWord(o.basicUser, reveal);
    for (const QString& file : o.caCertificates)
        args << QStringLiteral("--cacert") << shellQuote(file);
    if (o.insecure)
        args << QStringLiteral("--insecure");
    if (!o.clientCertificate.isEmpty())
        args << QStringLiteral("--cert") << shellQuote(o.clientCertificate);
    if (!o.clientKey.isEmpty())
        args << QStringLiteral("--key") << shellQuote(o.clientKey);
    if (o.sse)
        args << QStringLiteral("--sse");
    if (o.maxReplyBytes != ConnectOptions::kDefaultMaxReplyBytes)
        args << QStringLiteral("--max-reply-bytes") << QString::number(o.maxReplyBytes);
}

void appendCall(QStringList& args, Dialect dialect, const CallRequest& request)
{
    if (dialect != Dialect::JsonRpc2)
        args << QStringLiteral("--dialect") << toString(dialect);
    if (request.notification)
        args << QStringLiteral("--notify");
    if (!request.params.isUndefined())
        args << QStringLiteral("--params")
             << shellQuote(QString::fromUtf8(JsonText::serialize(request.params)));
    args << shellQuote(request.method);
}

} // namespace

QString shellQuote(const QString& text)
{
    static const QRegularExpression plain(QStringLiteral(R"(^[A-Za-z0-9_./:=@%+,-]+$)"));
    if (plain.match(text).hasMatch())
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QByteArray requestBody(Dialect dialect, const CallRequest& request, int id)
{
    const QByteArray method = JsonText::serialize(request.method);
    const QByteArray params = JsonText::serialize(request.params);
    QByteArray body = "{";
    if (dialect == Dialect::Classic) {
        // Classic servers take positional and keyword arguments separately.
        body += "\"method_name\":" + method;
        if (request.params.isArray())
            body += ",\"method_args\":" + params;
        const QJsonObject kwargs = request.params.isObject() ? request.params.toObject() : request.kwargs;
        if (!kwargs.isEmpty())
            body += ",\"method_kwargs\":" + JsonText::serialize(kwargs);
        return body + '}';
    }
    if (dialect != Dialect::JsonRpc1)
        body += "\"jsonrpc\":\"2.0\",";
    body += "\"method\":" + method;
    if (!request.params.isUndefined())
        body += ",\"params\":" + params;
    else if (dialect == Dialect::JsonRpc1)
        body += ",\"params\":[]"; // 1.0 requires params
    if (!request.notification)
        body += ",\"id\":" + QByteArray::number(id);
    else if (dialect == Dialect::JsonRpc1)
        body += ",\"id\":null"; // a 1.0 notification is a request with a null id
    return body + '}';
}

QString rpcbenchCall(const QString& url, Dialect dialect, const CallRequest& request)
{
    QStringList args{QStringLiteral("rpcbench"), QStringLiteral("call"), QStringLiteral("--url"),
                     shellQuote(url)};
    appendCall(args, dialect, request);
    return args.join(QLatin1Char(' '));
}

QString curl(const QString& url, Dialect dialect, const CallRequest& request)
{
    const std::optional<Endpoint> endpoint = Endpoint::parse(url);
    if (!endpoint || endpoint->transport == Transport::Lsp)
        return {};
    Endpoint http = *endpoint;
    http.transport = Transport::Http;
    return QStringLiteral("curl -s %1 -H 'Content-Type: application/json' -d %2")
        .arg(shellQuote(http.toString()), shellQuote(QString::fromUtf8(requestBody(dialect, request))));
}

QString netcat(const QString& url, Dialect dialect, const CallRequest& request)
{
    const std::optional<Endpoint> endpoint = Endpoint::parse(url);
    if (!endpoint || endpoint->transport != Transport::JsonStream)
        return {};
    return QStringLiteral("printf '%s\\n' %1 | nc %2 %3")
        .arg(shellQuote(QString::fromUtf8(requestBody(dialect, request))), shellQuote(endpoint->host))
        .arg(endpoint->port);
}

QString rpcbenchCall(const Endpoint& endpoint, Dialect dialect, const CallRequest& request,
                     bool revealSecrets)
{
    QStringList args{QStringLiteral("rpcbench"), QStringLiteral("call")};
    args << targetArguments(endpoint, revealSecrets);
    appendCall(args, dialect, request);
    return args.join(QLatin1Char(' '));
}

QStringList targetArguments(const Endpoint& endpoint, bool revealSecrets)
{
    QStringList args;
    appendTarget(args, endpoint, revealSecrets);
    appendOptions(args, endpoint.options, revealSecrets);
    return args;
}

QString curl(const Endpoint& endpoint, Dialect dialect, const CallRequest& request, bool revealSecrets)
{
    if (endpoint.carrier != Carrier::Tcp)
        return {};
    Endpoint http = endpoint;
    if (endpoint.transport == Transport::JsonStream && !endpoint.tls)
        http.transport = Transport::Http; // rpcbench's own server answers HTTP on its TCP port
    else if (endpoint.transport != Transport::Http)
        return {};
    const ConnectOptions& o = endpoint.options;
    QStringList args{QStringLiteral("curl"), QStringLiteral("-s"), shellQuote(http.toString())};
    if (!hasUserHeader(o, "Content-Type"))
        args << QStringLiteral("-H") << QStringLiteral("'Content-Type: application/json'");
    for (const auto& header : o.headers)
        args << QStringLiteral("-H") << headerWord(header, revealSecrets);
    // As in ConnectOptions::requestHeaders(): the user's own Authorization header wins.
    if (!hasUserHeader(o, "Authorization") && !o.bearerToken.isEmpty())
        args << QStringLiteral("--oauth2-bearer") << tokenWord(o.bearerToken, revealSecrets);
    else if (!hasUserHeader(o, "Authorization") && !o.basicUser.isEmpty())
        args << QStringLiteral("-u") << userWord(o.basicUser, revealSecrets);
    for (const QString& file : o.caCertificates)
        args << QStringLiteral("--cacert") << shellQuote(file);
    if (o.insecure)
        args << QStringLiteral("--insecure");
    if (!o.clientCertificate.isEmpty())
        args << QStringLiteral("--cert") << shellQuote(o.clientCertificate);
    if (!o.clientKey.isEmpty())
        args << QStringLiteral("--key") << shellQuote(o.clientKey);
    args << QStringLiteral("-d") << shellQuote(QString::fromUtf8(requestBody(dialect, request)));
    return args.join(QLatin1Char(' '));
}

QString netcat(const Endpoint& endpoint, Dialect dialect, const CallRequest& request)
{
    if (endpoint.transport != Transport::JsonStream || endpoint.tls)
        return {};
    const QString feed =
        QStringLiteral("printf '%s\\n' ") + shellQuote(QString::fromUtf8(requestBody(dialect, request)));
    if (endpoint.carrier == Carrier::Tcp)
        return feed + QStringLiteral(" | nc %1 %2").arg(shellQuote(endpoint.host)).arg(endpoint.port);
    if (endpoint.carrier == Carrier::Unix)
        return feed + QStringLiteral(" | nc -U ") + shellQuote(endpoint.socketPath);
    return {};
}

QStringList secretVariables(const Endpoint& endpoint)
{
    const ConnectOptions& o = endpoint.options;
    QStringList names;
    for (const auto& header : o.headers)
        if (ConnectOptions::isSecretHeader(header.first))
            names << headerVariable(header.first);
    if (!o.bearerToken.isEmpty())
        names << kTokenVariable;
    if (!o.basicUser.isEmpty())
        names << kPasswordVariable;
    if (endpoint.carrier == Carrier::Process)
        for (const QString& assignment : endpoint.process.environment)
            if (const QString name = assignment.section(QLatin1Char('='), 0, 0);
                isSecretEnvironmentName(name))
                names << name;
    names.removeDuplicates();
    return names;
}

} // namespace rpcbench::CommandLineBuilder
