#include "load/ReplyScanner.h"

#include <cctype>
#include <cstring>
#include <optional>

namespace rpcbench {

ReplyScanner::Mode ReplyScanner::modeFor(Transport transport)
{
    switch (transport) {
    case Transport::Lsp:
        return Mode::Lsp;
    case Transport::Http:
        return Mode::Http;
    case Transport::JsonStream:
    case Transport::WebSocket: // message channels need no scanner (LoadConnection counts messages)
        break;
    }
    return Mode::JsonStream;
}

namespace {

constexpr char kErrorKey[] = "\"error\"";
constexpr qsizetype kErrorKeyLen = sizeof(kErrorKey) - 1;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Offset of the value of the member `key` (given quoted: "\"error\"") of the JSON object that
// starts at p[0], past the ':' and blanks; -1 when the object has no such member. Depth-aware
// (a nested "error" or a string holding one does not count), run only after a memmem hit.
// With `skipNull`, a member whose value is null is passed over (JSON-RPC 1.0 success replies
// carry "error": null).
qsizetype findMember(const char* p, qsizetype n, const char* key, qsizetype keyLen, bool skipNull)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            // A key at depth 1 named `key`: the string itself and the ':' that follows.
            if (depth == 1 && n - i >= keyLen && std::memcmp(p + i, key, size_t(keyLen)) == 0) {
                qsizetype j = i + keyLen;
                while (j < n && isSpace(p[j]))
                    ++j;
                if (j < n && p[j] == ':') {
                    ++j;
                    while (j < n && isSpace(p[j]))
                        ++j;
                    if (j == n)
                        return -1; // cut off after the ':': no value to read
                    if (!(skipNull && n - j >= 4 && std::memcmp(p + j, "null", 4) == 0))
                        return j;
                }
            }
            inString = true;
            break;
        case '{':
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (--depth == 0)
                return -1; // the end of the object
            break;
        default:
            break;
        }
    }
    return -1;
}

// The integer at p[0] (JSON number without fraction or exponent), or nullopt.
std::optional<qint64> integerAt(const char* p, qsizetype n)
{
    qsizetype i = 0;
    const bool negative = i < n && p[i] == '-';
    if (negative)
        ++i;
    qint64 value = 0;
    const qsizetype first = i;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; ++i) {
        if (value > (qint64(1) << 53))
            return std::nullopt; // not a code anyone sends (and far below kHttpStatusKey)
        value = value * 10 + (p[i] - '0');
    }
    if (i == first || (i < n && (p[i] == '.' || p[i] == 'e' || p[i] == 'E')))
        return std::nullopt;
    return negative ? -value : value;
}

// Case-insensitive search for a header name at a line start inside a header block.
qsizetype findContentLength(const char* head, qsizetype n)
{
    static constexpr char name[] = "content-length:";
    constexpr qsizetype len = sizeof(name) - 1;
    for (qsizetype i = 0; i + len <= n; ++i) {
        if (i > 0 && head[i - 1] != '\n')
            continue;
        if (qstrnicmp(head + i, name, len) != 0)
            continue;
        qsizetype j = i + len;
        while (j < n && (head[j] == ' ' || head[j] == '\t'))
            ++j;
        qsizetype value = 0;
        bool digits = false;
        while (j < n && head[j] >= '0' && head[j] <= '9') {
            value = value * 10 + (head[j] - '0');
            digits = true;
            if (value > (qsizetype(1) << 40))
                return -1;
            ++j;
        }
        return digits ? value : -1;
    }
    return -1;
}

} // namespace

ReplyScanner::ReplyScanner(Mode mode, qsizetype rawSize) : m_mode(mode), m_rawSize(rawSize > 0 ? rawSize : 1)
{}

namespace {

// Offset of the value of the top-level non-null "error" member, or -1 (the common case costs
// one memmem).
qsizetype topLevelErrorAt(const char* data, qsizetype size)
{
    if (size < kErrorKeyLen || !memmem(data, size_t(size), kErrorKey, size_t(kErrorKeyLen)))
        return -1;
    return findMember(data, size, kErrorKey, kErrorKeyLen, true);
}

// The numeric "code" of the error value at data[error] when it is an object, else kNoCode.
qint64 codeOfErrorAt(const char* data, qsizetype size, qsizetype error)
{
    if (error < 0 || error >= size || data[error] != '{')
        return ReplyScanner::kNoCode; // a JSON-RPC 1.0 or classic error: a string or any other value
    static constexpr char kCodeKey[] = "\"code\"";
    const qsizetype code = findMember(data + error, size - error, kCodeKey, sizeof(kCodeKey) - 1, false);
    if (code < 0)
        return ReplyScanner::kNoCode;
    return integerAt(data + error + code, size - error - code).value_or(ReplyScanner::kNoCode);
}

} // namespace

bool ReplyScanner::hasTopLevelError(const char* data, qsizetype size)
{
    return topLevelErrorAt(data, size) >= 0;
}

qint64 ReplyScanner::errorCodeOf(const char* data, qsizetype size)
{
    return codeOfErrorAt(data, size, topLevelErrorAt(data, size));
}

QString ReplyScanner::errorCodeLabel(qint64 key)
{
    if (key == kNoCode)
        return QStringLiteral("no code");
    if (key >= kHttpStatusKey && key < kHttpStatusKey + 1000)
        return QStringLiteral("HTTP %1").arg(key - kHttpStatusKey);
    return QString::number(key);
}

bool ReplyScanner::countIfError(Result& result, const char* data, qsizetype size, int httpStatus)
{
    const qsizetype error = topLevelErrorAt(data, size); // one scan finds it and then its code
    if (error < 0 && httpStatus < 0)
        return false;
    ++result.errors;
    qint64 key = codeOfErrorAt(data, size, error);
    if (key == kNoCode && httpStatus >= 0)
        key = kHttpStatusKey + httpStatus; // a failed HTTP exchange without a JSON-RPC error
    result.errorCodes.push_back(key);
    return true;
}

bool ReplyScanner::scan(QByteArray& buffer, Result& result, std::vector<Capture>* captures)
{
    const bool capture = captures && !captures->empty();
    switch (m_mode) {
    case Mode::JsonStream:
        return capture ? scanJsonStream<true>(buffer, result, captures)
                       : scanJsonStream<false>(buffer, result, nullptr);
    case Mode::Lsp:
    case Mode::Http:
        return capture ? scanFramed<true>(buffer, result, captures)
                       : scanFramed<false>(buffer, result, nullptr);
    case Mode::Raw:
        scanRaw(buffer.size(), result);
        buffer.clear();
        return true;
    }
    return false;
}

void ReplyScanner::scanRaw(qint64 bytes, Result& result)
{
    m_rawPending += bytes;
    const qint64 whole = m_rawPending / m_rawSize;
    m_rawPending -= whole * m_rawSize;
    result.replies += int(whole);
}

namespace {

// Copies the reply just counted (number result.replies - 1) when a capture wants it.
void captureReply(const ReplyScanner::Result& result, std::vector<ReplyScanner::Capture>& captures,
                  size_t& next, const char* data, qsizetype size)
{
    const int index = result.replies - 1;
    while (next < captures.size() && captures[next].index < index)
        ++next;
    if (next < captures.size() && captures[next].index == index)
        captures[next++].payload = QByteArray(data, size);
}

} // namespace

template <bool kCapture>
bool ReplyScanner::scanJsonStream(QByteArray& buffer, Result& result, std::vector<Capture>* captures)
{
    [[maybe_unused]] size_t nextCapture = 0;
    const char* data = buffer.constData();
    const qsizetype size = buffer.size();
    qsizetype start = 0;       // start of the current reply
    qsizetype pos = m_scanned; // bytes before this hold no newline (large replies span reads)
    while (pos < size) {
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size_t(size - pos)));
        if (!nl)
            break;
        const qsizetype end = nl - data;
        // Skip blank lines (e.g. CRLF or stray whitespace between values).
        qsizetype b = start;
        while (b < end && (data[b] == ' ' || data[b] == '\r' || data[b] == '\t'))
            ++b;
        if (b < end) {
            ++result.replies;
            countIfError(result, data + b, end - b);
            if constexpr (kCapture)
                captureReply(result, *captures, nextCapture, data + b, end - b);
        }
        start = end + 1;
        pos = start;
    }
    if (start > 0)
        buffer.remove(0, start);
    m_scanned = buffer.size();
    return true;
}

template <bool kCapture>
bool ReplyScanner::scanFramed(QByteArray& buffer, Result& result, std::vector<Capture>* captures)
{
    [[maybe_unused]] size_t nextCapture = 0;
    const char* data = buffer.constData();
    const qsizetype size = buffer.size();
    qsizetype start = 0;
    while (start < size) {
        const char* hit = static_cast<const char*>(memmem(data + start, size_t(size - start), "\r\n\r\n", 4));
        if (!hit) {
            if (size - start > 64 * 1024) {
                m_error = QStringLiteral("reply header larger than 64 KiB");
                return false;
            }
            break;
        }
        const qsizetype headEnd = hit - data + 4;
        const qsizetype length = findContentLength(data + start, headEnd - start);
        int httpError = -1; // the status of a failed HTTP exchange (0 is one: "HTTP/1.1 000")
        if (m_mode == Mode::Http) {
            // "HTTP/1.1 200 OK": the status is the three digits after the first space.
            if (headEnd - start < 12 || std::memcmp(data + start, "HTTP/1.", 7) != 0) {
                m_error = QStringLiteral("reply is not an HTTP/1.x response");
                return false;
            }
            const char* digits = data + start + 9;
            if (!std::isdigit(uchar(digits[0])) || !std::isdigit(uchar(digits[1])) ||
                !std::isdigit(uchar(digits[2]))) {
                m_error = QStringLiteral("reply is not an HTTP/1.x response (no status code)");
                return false;
            }
            const int status = (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
            if (status >= 100 && status < 200) { // interim response (100 Continue): no body
                start = headEnd;
                continue;
            }
            if (status < 200 || status > 299) // 202/204: a notification's empty answer
                httpError = status;
        }
        if (length < 0) {
            m_error =
                QStringLiteral("reply without a Content-Length header (chunked replies are not supported)");
            return false;
        }
        if (size - headEnd < length)
            break;
        ++result.replies;
        countIfError(result, data + headEnd, length, httpError);
        if constexpr (kCapture)
            captureReply(result, *captures, nextCapture, data + headEnd, length);
        start = headEnd + length;
    }
    if (start > 0)
        buffer.remove(0, start);
    return true;
}

} // namespace rpcbench
