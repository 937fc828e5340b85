#include "wire/HttpChunked.h"

#include "wire/HttpHeaderSyntax.h"

#include <optional>

namespace rpcbench {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct ChunkSize
{
    enum class Status : quint8 { Valid, Malformed, TooLarge };
    Status status;
    qsizetype size = 0;
};

// Parses "1a;ext=v" (CR already removed); TooLarge when the size exceeds `room`.
ChunkSize parseChunkSize(QByteArrayView line, qsizetype room)
{
    using Status = ChunkSize::Status;
    qsizetype size = 0;
    qsizetype i = 0;
    for (; i < line.size(); ++i) {
        const int digit = hexValue(line[i]);
        if (digit < 0)
            break;
        if (size <= room)
            size = size * 16 + digit;
    }
    if (i == 0)
        return {Status::Malformed};
    const QByteArrayView rest = trimmedHttpWhitespace(line.sliced(i));
    if (!rest.isEmpty() && rest.front() != ';')
        return {Status::Malformed};
    for (char c : rest) {
        if (isHttpCtl(c))
            return {Status::Malformed};
    }
    if (size > room)
        return {Status::TooLarge};
    return {Status::Valid, size};
}

} // namespace

HttpChunkedDecoder::Result HttpChunkedDecoder::decode(QByteArrayView buf, qsizetype& pos, QByteArray& body,
                                                      qsizetype maxBody, qsizetype maxLine)
{
    while (true) {
        std::optional<Result> stop; // set when this call is over
        switch (m_phase) {
        case Phase::Size:
            stop = readSizeLine(buf, pos, maxBody - body.size(), maxLine);
            break;
        case Phase::Data: {
            const qsizetype n = qMin(m_remaining, buf.size() - pos);
            body.append(buf.sliced(pos, n));
            pos += n;
            m_remaining -= n;
            if (m_remaining > 0)
                return Result::NeedMore;
            m_phase = Phase::DataEnd;
            continue;
        }
        case Phase::DataEnd:
            stop = readDataEnd(buf, pos);
            break;
        case Phase::Trailers:
            return readTrailers(buf, pos, maxLine);
        }
        if (stop)
            return *stop;
    }
}

std::optional<HttpChunkedDecoder::Result> HttpChunkedDecoder::readSizeLine(QByteArrayView buf, qsizetype& pos,
                                                                           qsizetype room, qsizetype maxLine)
{
    const qsizetype from = pos + m_scanFrom;
    const qsizetype nl = from < buf.size() ? buf.indexOf('\n', from) : -1;
    if (nl < 0) {
        m_scanFrom = buf.size() - pos;
        if (m_scanFrom > maxLine)
            return failWith(Result::Malformed, "chunk size line too long");
        return Result::NeedMore;
    }
    if (nl - pos > maxLine)
        return failWith(Result::Malformed, "chunk size line too long");
    QByteArrayView line = buf.sliced(pos, nl - pos);
    if (line.endsWith('\r'))
        line.chop(1);
    const ChunkSize chunk = parseChunkSize(line, room);
    if (chunk.status == ChunkSize::Status::Malformed)
        return failWith(Result::Malformed, "invalid chunk size line");
    if (chunk.status == ChunkSize::Status::TooLarge)
        return failWith(Result::TooLarge, "chunked body exceeds the size limit");
    pos = nl + 1;
    m_scanFrom = 0;
    m_remaining = chunk.size;
    m_phase = chunk.size == 0 ? Phase::Trailers : Phase::Data;
    return std::nullopt;
}

std::optional<HttpChunkedDecoder::Result> HttpChunkedDecoder::readDataEnd(QByteArrayView buf, qsizetype& pos)
{
    if (pos >= buf.size())
        return Result::NeedMore;
    if (buf[pos] == '\r') {
        if (pos + 1 >= buf.size())
            return Result::NeedMore;
        ++pos;
    }
    if (buf[pos] != '\n')
        return failWith(Result::Malformed, "chunk data not followed by CRLF");
    ++pos;
    m_phase = Phase::Size;
    return std::nullopt;
}

HttpChunkedDecoder::Result HttpChunkedDecoder::readTrailers(QByteArrayView buf, qsizetype& pos,
                                                            qsizetype maxLine)
{
    const QByteArrayView rest = buf.sliced(pos);
    const std::optional<qsizetype> end = findHeaderBlockEnd(rest, m_scanFrom);
    if (!end) {
        if (rest.size() > maxLine)
            return failWith(Result::Malformed, "chunked trailer section too long");
        return Result::NeedMore;
    }
    if (*end > maxLine)
        return failWith(Result::Malformed, "chunked trailer section too long");
    HttpHeaders trailers;
    if (!parseHttpHeaderLines(rest.first(*end), trailers))
        return failWith(Result::Malformed, "malformed chunked trailer");
    pos += *end;
    reset();
    return Result::Done;
}

HttpChunkedDecoder::Result HttpChunkedDecoder::failWith(Result result, const char* error)
{
    m_error = error;
    return result;
}

} // namespace rpcbench
