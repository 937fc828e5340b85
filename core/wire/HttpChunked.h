#pragma once
// Incremental decoder for a chunked body (RFC 9112 section 7.1), shared by the HTTP request
// and response parsers.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace rpcbench {

class HttpChunkedDecoder
{
public:
    enum class Result : quint8 { NeedMore, Done, Malformed, TooLarge };

    // Decodes chunked data from buf[pos...]: appends chunk data to `body` and advances `pos`
    // past everything consumed. Chunk extensions are skipped, trailers validated and dropped.
    // A chunk line or the trailer block longer than `maxLine` is Malformed; a body beyond
    // `maxBody` is TooLarge (decided from the chunk size, before the data arrives). After Done
    // the decoder is ready for the next body.
    Result decode(QByteArrayView buf, qsizetype& pos, QByteArray& body, qsizetype maxBody, qsizetype maxLine);
    // After Malformed or TooLarge: a short text for the error reply.
    const char* error() const { return m_error; }
    void reset() { *this = HttpChunkedDecoder(); }

private:
    enum class Phase : quint8 { Size, Data, DataEnd, Trailers };

    // These return nullopt when the next phase can go on, else the result of decode().
    std::optional<Result> readSizeLine(QByteArrayView buf, qsizetype& pos, qsizetype room, qsizetype maxLine);
    std::optional<Result> readDataEnd(QByteArrayView buf, qsizetype& pos);
    Result readTrailers(QByteArrayView buf, qsizetype& pos, qsizetype maxLine);
    Result failWith(Result result, const char* error);

    Phase m_phase = Phase::Size;
    qsizetype m_remaining = 0; // bytes left in the current chunk
    qsizetype m_scanFrom = 0;  // resume offset of the current line/trailer search (from pos)
    const char* m_error = "";
};

} // namespace rpcbench
