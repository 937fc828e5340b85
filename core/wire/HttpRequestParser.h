#pragma once
// The server side of HTTP/1.1: an incremental request parser (the shared core in HttpParser)
// with the server's limits. Handles pipelined requests, Content-Length and chunked bodies,
// `Expect: 100-continue`, and rejects malformed input with the HTTP status the connection
// answers before closing (FrameError::httpStatus). Its own syntax, the request line, is
// parsed in HttpRequestParser.cpp.

#include "wire/HttpParser.h"

namespace rpcbench {

class HttpRequestParser final : public HttpParser<true>
{
public:
    explicit HttpRequestParser(qsizetype maxBodyBytes = 16 * 1024 * 1024,
                               qsizetype maxHeaderBytes = 64 * 1024)
        : HttpParser(maxBodyBytes, maxHeaderBytes)
    {}
};

} // namespace rpcbench
