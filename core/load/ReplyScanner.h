#pragma once
// Finds reply boundaries in a load generator's receive buffer without parsing JSON, so the
// generator stays far cheaper than the server it measures:
//   - JsonStream: the server answers one compact JSON value + "\n" per call, and compact JSON
//     never holds a raw newline, so replies are counted with memchr;
//   - Lsp / Http: the header block is read for Content-Length (and the HTTP status);
//   - Raw: every `rawSize` bytes is one echoed message.
// A reply counts as an error when it has a top-level "error" member that is not null (found
// with memmem and only then verified by a depth-aware scan) or, over HTTP, a status other
// than 2xx. Error replies are also counted by code (the "code" of the error object, read only
// for error replies so a run without errors pays nothing for it).

#include "wire/Transport.h"

#include <QByteArray>
#include <QString>
#include <QVarLengthArray>

#include <limits>

#include <vector>

namespace rpcbench {

class ReplyScanner
{
public:
    enum class Mode { JsonStream, Lsp, Http, Raw };

    // What an error reply is counted under (LoadResult::errorsByCode): its JSON-RPC error code,
    // kNoCode when the error has none (1.0 / classic errors are often strings), or
    // kHttpStatusKey + status for a failed HTTP exchange without a JSON-RPC error.
    static constexpr qint64 kNoCode = std::numeric_limits<qint64>::min();
    static constexpr qint64 kHttpStatusKey = qint64(1) << 60;

    struct Result
    {
        int replies = 0;
        int errors = 0;
        QVarLengthArray<qint64, 16> errorCodes; // one per error, in order (no allocation when few)
    };

    // Sampled traffic logging: a copy of the payload (framing headers left out) of the reply
    // counted as number `index` (0 = the first one this Result counts).
    struct Capture
    {
        int index = 0;
        QByteArray payload;
    };

    explicit ReplyScanner(Mode mode = Mode::JsonStream, qsizetype rawSize = 1);
    // The mode that reads replies in a framing.
    static Mode modeFor(Transport transport);

    // Consumes every complete reply at the front of `buffer` (removing those bytes) and says
    // how many there were. Returns false when the stream cannot be understood (errorString()).
    // With `captures` (sorted by index), the payloads of those replies are copied into them;
    // without, scanning costs nothing more than before.
    bool scan(QByteArray& buffer, Result& result, std::vector<Capture>* captures = nullptr);
    // Raw mode: count `bytes` more echoed bytes without looking at them.
    void scanRaw(qint64 bytes, Result& result);

    QString errorString() const { return m_error; }
    Mode mode() const { return m_mode; }

    // True when the JSON object in [data, data+size) has a non-null "error" member at top level.
    static bool hasTopLevelError(const char* data, qsizetype size);
    // The key an error reply counts under (see kNoCode); kNoCode when it has no numeric code.
    static qint64 errorCodeOf(const char* data, qsizetype size);
    // "-32601", "HTTP 503", "no code".
    static QString errorCodeLabel(qint64 key);
    // Counts the reply [data, data+size) into `result` when it is an error (a top-level error,
    // or a failed HTTP exchange: httpStatus >= 0), with its code; true when it counted.
    static bool countIfError(Result& result, const char* data, qsizetype size, int httpStatus = -1);

private:
    template <bool kCapture>
    bool scanJsonStream(QByteArray& buffer, Result& result, std::vector<Capture>* captures);
    template <bool kCapture>
    bool scanFramed(QByteArray& buffer, Result& result, std::vector<Capture>* captures);

    Mode m_mode;
    qsizetype m_rawSize;
    qint64 m_rawPending = 0; // raw bytes received that do not yet make a whole message
    qsizetype m_scanned = 0; // JsonStream: bytes at the buffer front already known to hold no '\n'
    QString m_error;
};

} // namespace rpcbench
