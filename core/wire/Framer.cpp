#include "wire/Framer.h"

namespace rpcbench {

bool Framer::finish(FrameSink&)
{
    if (!hasPartial())
        return true;
    return fail(FrameError::Kind::Truncated,
                QStringLiteral("connection closed inside a message (%1 bytes)").arg(bufferedBytes()));
}

bool Framer::fail(FrameError::Kind kind, const QString& reason, int httpStatus)
{
    m_error = FrameError{kind, reason, httpStatus};
    return false;
}

} // namespace rpcbench
