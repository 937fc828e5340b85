#include "wire/ConnectOptions.h"

#include "wire/HttpHeaderSyntax.h"

namespace rpcbench {

namespace {
const QString kMask = QStringLiteral("••••");

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}
} // namespace

HttpHeaderList ConnectOptions::requestHeaders() const
{
    HttpHeaderList out = headers;
    const bool userAuth = std::any_of(headers.cbegin(), headers.cend(),
                                      [](const auto& h) { return sameName(h.first, "Authorization"); });
    if (!userAuth && !bearerToken.isEmpty())
        out.append({"Authorization", "Bearer " + bearerToken.toUtf8()});
    else if (!userAuth && !basicUser.isEmpty())
        out.append({"Authorization", "Basic " + basicUser.toUtf8().toBase64()});
    return out;
}

bool ConnectOptions::hasHeader(QByteArrayView name) const
{
    const HttpHeaderList all = requestHeaders();
    return std::any_of(all.cbegin(), all.cend(), [name](const auto& h) { return sameName(h.first, name); });
}

bool ConnectOptions::parseHeader(const QString& line, QPair<QByteArray, QByteArray>* out, QString* error)
{
    const qsizetype colon = line.indexOf(QLatin1Char(':'));
    if (colon <= 0) {
        *error = QStringLiteral("header '%1' is not 'Name: value'").arg(line);
        return false;
    }
    const QByteArray name = line.left(colon).trimmed().toLatin1();
    if (name.isEmpty() ||
        !std::all_of(name.cbegin(), name.cend(), [](char c) { return isHttpTokenChar(c); })) {
        *error = QStringLiteral("invalid header name '%1'").arg(line.left(colon).trimmed());
        return false;
    }
    const QByteArray value = line.mid(colon + 1).trimmed().toUtf8();
    if (value.contains('\r') || value.contains('\n')) {
        *error = QStringLiteral("header '%1' has a line break in its value").arg(QString::fromLatin1(name));
        return false;
    }
    *out = {name, value};
    return true;
}

bool ConnectOptions::isSecretHeader(QByteArrayView name)
{
    const QByteArray n = name.toByteArray().toLower();
    for (const char* exact : {"authorization", "proxy-authorization", "cookie", "set-cookie"})
        if (n == exact)
            return true;
    for (const char* part : {"token", "secret", "password", "api-key", "apikey"})
        if (n.contains(part))
            return true;
    return false;
}

QString ConnectOptions::headerText(const QPair<QByteArray, QByteArray>& header, bool reveal)
{
    const QString value = !reveal && isSecretHeader(header.first) ? kMask : QString::fromUtf8(header.second);
    return QString::fromLatin1(header.first) + QLatin1String(": ") + value;
}

bool ConnectOptions::hasSecrets() const
{
    return !bearerToken.isEmpty() || !basicUser.isEmpty() ||
           std::any_of(headers.cbegin(), headers.cend(),
                       [](const auto& h) { return isSecretHeader(h.first); });
}

} // namespace rpcbench
