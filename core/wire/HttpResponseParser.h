#pragma once
// The client side of HTTP/1.1: an incremental response parser (the shared core in
// HttpParser). Content-Length, chunked and "read until close" bodies (the last one is
// delivered by finish()); interim 1xx responses are skipped. Its own syntax, the status line,
// is parsed in HttpResponseParser.cpp.

#include "wire/HttpParser.h"

namespace rpcbench {

class HttpResponseParser final : public HttpParser<false>
{
public:
    // Response heads are bounded generously: the server is whatever the user points us at.
    static constexpr qsizetype kMaxHeadBytes = 256 * 1024;

    explicit HttpResponseParser(qsizetype maxBodyBytes = 256 * 1024 * 1024,
                                qsizetype maxHeadBytes = kMaxHeadBytes)
        : HttpParser(maxBodyBytes, maxHeadBytes)
    {}
};

} // namespace rpcbench
