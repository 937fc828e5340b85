#include "load/ReplyScanner.h"

#include <cstring>

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

// Depth-aware check, run only when memmem already saw "error" somewhere in the reply.
bool scanForTopLevelErrorKey(const char* p, qsizetype n)
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
            // A key at depth 1 named "error": the string itself and the ':' that follows.
            if (depth == 1 && n - i >= kErrorKeyLen && std::memcmp(p + i, kErrorKey, kErrorKeyLen) == 0) {
                qsizetype j = i + kErrorKeyLen;
                while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
                    ++j;
                if (j < n && p[j] == ':') {
                    // JSON-RPC 1.0 success replies carry "error": null.
                    ++j;
                    while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
                        ++j;
                    if (!(n - j >= 4 && std::memcmp(p + j, "null", 4) == 0))
                        return true;
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
            --depth;
            break;
        default:
            break;
        }
    }
    return false;
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

bool ReplyScanner::hasTopLevelError(const char* data, qsizetype size)
{
    if (size < kErrorKeyLen || !memmem(data, size_t(size), kErrorKey, size_t(kErrorKeyLen)))
        return false; // the common case costs one memmem
    return scanForTopLevelErrorKey(data, size);
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
            if (hasTopLevelError(data + b, end - b))
                ++result.errors;
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
        bool httpError = false;
        if (m_mode == Mode::Http) {
            // "HTTP/1.1 200 OK": the status is the three digits after the first space.
            if (headEnd - start < 12 || std::memcmp(data + start, "HTTP/1.", 7) != 0) {
                m_error = QStringLiteral("reply is not an HTTP/1.x response");
                return false;
            }
            const int status =
                (data[start + 9] - '0') * 100 + (data[start + 10] - '0') * 10 + (data[start + 11] - '0');
            if (status >= 100 && status < 200) { // interim response (100 Continue): no body
                start = headEnd;
                continue;
            }
            httpError = status < 200 || status > 299; // 202/204: a notification's empty answer
        }
        if (length < 0) {
            m_error =
                QStringLiteral("reply without a Content-Length header (chunked replies are not supported)");
            return false;
        }
        if (size - headEnd < length)
            break;
        ++result.replies;
        if (httpError || hasTopLevelError(data + headEnd, length))
            ++result.errors;
        if constexpr (kCapture)
            captureReply(result, *captures, nextCapture, data + headEnd, length);
        start = headEnd + length;
    }
    if (start > 0)
        buffer.remove(0, start);
    return true;
}

} // namespace rpcbench
