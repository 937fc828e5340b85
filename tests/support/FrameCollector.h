#pragma once
// Test helper: a FrameSink that keeps a copy of every frame it is given (a Frame's views are
// valid only during onFrame), for comparing what a framer delivered.

#include "wire/Framer.h"

#include <QByteArray>
#include <QList>

namespace rpcbench::test {

struct FrameCollector final : FrameSink
{
    QList<QByteArray> payloads;
    QList<QByteArray> syntaxErrors; // per frame: Frame::syntaxError, empty for a well-formed one
    QList<HttpRequest> requests;    // HTTP request frames, whole (body = payload)
    QList<HttpResponse> responses;  // HTTP response frames, whole (body = payload)

    void onFrame(const Frame& frame) override
    {
        payloads.append(frame.payload.toByteArray());
        syntaxErrors.append(frame.syntaxError ? QByteArray(frame.syntaxError) : QByteArray());
        if (frame.request)
            requests.append(*frame.request);
        if (frame.response)
            responses.append(*frame.response);
    }
};

} // namespace rpcbench::test
