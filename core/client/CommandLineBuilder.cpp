#include "client/CommandLineBuilder.h"

#include "util/JsonText.h"
#include "wire/Endpoint.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace rpcbench::CommandLineBuilder {

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
    if (dialect != Dialect::JsonRpc2)
        args << QStringLiteral("--dialect") << toString(dialect);
    if (request.notification)
        args << QStringLiteral("--notify");
    if (!request.params.isUndefined())
        args << QStringLiteral("--params")
             << shellQuote(QString::fromUtf8(JsonText::serialize(request.params)));
    args << shellQuote(request.method);
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

} // namespace rpcbench::CommandLineBuilder
