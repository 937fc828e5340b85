#include "wire/HttpHeaderSyntax.h"

#include <cstring>

namespace rpcbench {

namespace {

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView chompCr(QByteArrayView line)
{
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    return line;
}

// A non-empty run of decimal digits, saturating at max + 1; nullopt if not digits.
std::optional<qsizetype> parseDecimal(QByteArrayView v, qsizetype max)
{
    if (v.isEmpty())
        return std::nullopt;
    qsizetype value = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return std::nullopt;
        if (value <= max)
            value = value * 10 + (c - '0');
    }
    return value > max ? max + 1 : value;
}

} // namespace

bool isHttpTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isHttpCtl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

QByteArrayView trimmedHttpWhitespace(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

std::optional<qsizetype> findHeaderBlockEnd(QByteArrayView buf, qsizetype& scanFrom)
{
    const char* const data = buf.data();
    qsizetype i = scanFrom;
    while (i < buf.size()) {
        const auto* nl = static_cast<const char*>(std::memchr(data + i, '\n', size_t(buf.size() - i)));
        if (!nl)
            break;
        const qsizetype at = nl - data;
        // The line that ends here is empty when it starts right at `at` (or at `at - 1` with CR).
        qsizetype lineStart = at;
        if (lineStart > 0 && data[lineStart - 1] == '\r')
            --lineStart;
        if (lineStart == 0 || data[lineStart - 1] == '\n') {
            scanFrom = at + 1;
            return at + 1;
        }
        i = at + 1;
    }
    scanFrom = buf.size();
    return std::nullopt;
}

bool parseHttpHeaderLines(QByteArrayView block, HttpHeaders& out)
{
    while (!block.isEmpty()) {
        const qsizetype nl = block.indexOf('\n');
        const QByteArrayView line = chompCr(nl < 0 ? block : block.first(nl));
        block = nl < 0 ? QByteArrayView() : block.sliced(nl + 1);
        if (line.isEmpty())
            return true;
        if (line.front() == ' ' || line.front() == '\t')
            return false; // obs-fold: RFC 9112 lets a server reject it, and we do
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArrayView name = line.first(colon);
        for (char c : name) {
            if (!isHttpTokenChar(c))
                return false; // includes whitespace before the colon (smuggling vector)
        }
        const QByteArrayView value = trimmedHttpWhitespace(line.sliced(colon + 1));
        for (char c : value) {
            if (isHttpCtl(c))
                return false;
        }
        out.append({internHttpToken(name), internHttpToken(value)});
    }
    return true;
}

bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token)
{
    while (true) {
        const qsizetype comma = value.indexOf(',');
        if (equalsIgnoreCase(trimmedHttpWhitespace(comma < 0 ? value : value.first(comma)), token))
            return true;
        if (comma < 0)
            return false;
        value = value.sliced(comma + 1);
    }
}

bool httpHeadersHaveToken(const HttpHeaders& headers, QByteArrayView name, QByteArrayView token)
{
    for (const auto& [key, value] : headers) {
        if (equalsIgnoreCase(key, name) && httpHeaderHasToken(value, token))
            return true;
    }
    return false;
}

QByteArray httpJoinedHeader(const HttpHeaders& headers, QByteArrayView name)
{
    QByteArray joined;
    bool first = true;
    for (const auto& [key, value] : headers) {
        if (!equalsIgnoreCase(key, name))
            continue;
        if (first)
            joined = value; // shared, no copy: the usual single header costs nothing
        else
            joined += ", " + value;
        first = false;
    }
    return joined;
}

bool hasHttpHeader(const HttpHeaders& headers, QByteArrayView name)
{
    for (const auto& header : headers) {
        if (equalsIgnoreCase(header.first, name))
            return true;
    }
    return false;
}

HttpContentLength httpContentLength(const HttpHeaders& headers, qsizetype max)
{
    using Status = HttpContentLength::Status;
    std::optional<qsizetype> length;
    for (const auto& [name, value] : headers) {
        if (!equalsIgnoreCase(name, "Content-Length"))
            continue;
        QByteArrayView rest = value;
        while (true) {
            const qsizetype comma = rest.indexOf(',');
            const auto n = parseDecimal(trimmedHttpWhitespace(comma < 0 ? rest : rest.first(comma)), max);
            if (!n || (length && *n != *length))
                return {Status::Invalid, 0};
            length = n;
            if (comma < 0)
                break;
            rest = rest.sliced(comma + 1);
        }
    }
    if (!length)
        return {Status::Absent, 0};
    if (*length > max)
        return {Status::TooLarge, 0};
    return {Status::Valid, *length};
}

} // namespace rpcbench
